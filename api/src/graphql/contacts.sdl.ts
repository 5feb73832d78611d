export const schema = gql`
  "An extra field of a contact: a named text value (from an imported column or typed by staff)."
  type ContactField {
    name: String!
    value: String!
  }

  input ContactFieldInput {
    name: String!
    value: String!
  }

  "A list a contact belongs to."
  type ContactListRef {
    id: Int!
    name: String!
  }

  "A person in the contact book (one per number). The WhatsApp thread of a number is ContactThread."
  type AddressBookContact {
    id: Int!
    "E.164, with the leading +."
    phoneNumber: String!
    name: String
    fields: [ContactField!]!
    "The number is opted out (replied STOP or added by staff): sends to a list leave it out."
    optedOut: Boolean!
    lists: [ContactListRef!]!
    createdAt: DateTime!
    createdByEmail: String
    updatedAt: DateTime!
    updatedByEmail: String
  }

  type AddressBookPage {
    items: [AddressBookContact!]!
    total: Int!
    page: Int!
    pageSize: Int!
  }

  type ContactList {
    id: Int!
    name: String!
    memberCount: Int!
    optedOutCount: Int!
    createdAt: DateTime!
    createdByEmail: String
    updatedAt: DateTime!
  }

  "A bad row of an import: its line in the file (the header is line 1) and why."
  type ContactImportProblem {
    line: Int!
    reason: String!
    value: String
  }

  "An uploaded CSV and its import. status: uploaded (waiting for the mapping), queued, running, done, failed."
  type ContactImport {
    id: Int!
    status: String!
    fileName: String!
    byteSize: Int!
    headers: [String!]!
    "The first rows under the headers, for the mapping step."
    preview: [[String!]!]!
    "Columns that look like phone numbers, best first (the mapping step's first choice)."
    numberColumnCandidates: [String!]!
    nameColumnGuess: String
    list: ContactListRef
    phase: String
    "0 to 100."
    progress: Int!
    rowsRead: Int!
    rowsSaved: Int!
    rowsTotal: Int
    created: Int!
    updated: Int!
    duplicatesMerged: Int!
    optedOut: Int!
    badRows: Int!
    error: String
    createdAt: DateTime!
    finishedAt: DateTime
    "The first bad rows (all of them in the CSV download)."
    problems(take: Int): [ContactImportProblem!]!
    maxRows: Int!
  }

  input AddressBookContactInput {
    "A phone number, read like a pasted recipient (numbers without + in the default region)."
    phoneNumber: String!
    name: String
    fields: [ContactFieldInput!]
    "Lists the contact belongs to (replaces its lists when given)."
    listIds: [Int!]
  }

  input StartContactImportInput {
    importId: Int!
    "The header of the column holding phone numbers."
    numberColumn: String!
    "The header of the column holding names, if any."
    nameColumn: String
    "Headers of the columns kept as fields (by their header)."
    fieldColumns: [String!]!
    "Add the contacts to this list, or to a new list with newListName."
    listId: Int
    newListName: String
  }

  type Query {
    "The contact book, 50 a page; search matches part of the number or the name; listId narrows to a list."
    addressBookContacts(search: String, listId: Int, page: Int): AddressBookPage! @requireAuth
    addressBookContact(id: Int!): AddressBookContact @requireAuth
    contactLists: [ContactList!]! @requireAuth
    contactList(id: Int!): ContactList @requireAuth
    contactImport(id: Int!): ContactImport @requireAuth
    "Recent imports, newest first."
    contactImports: [ContactImport!]! @requireAuth
  }

  type Mutation {
    createAddressBookContact(input: AddressBookContactInput!): AddressBookContact!
      @requireAuth(roles: ["admin", "sender"])
    updateAddressBookContact(id: Int!, input: AddressBookContactInput!): AddressBookContact!
      @requireAuth(roles: ["admin", "sender"])
    deleteAddressBookContact(id: Int!): AddressBookContact! @requireAuth(roles: ["admin", "sender"])
    createContactList(name: String!): ContactList! @requireAuth(roles: ["admin", "sender"])
    renameContactList(id: Int!, name: String!): ContactList! @requireAuth(roles: ["admin", "sender"])
    "Deletes a list; its contacts stay in the book."
    deleteContactList(id: Int!): ContactList! @requireAuth(roles: ["admin", "sender"])
    addContactToList(listId: Int!, contactId: Int!): ContactList! @requireAuth(roles: ["admin", "sender"])
    removeContactFromList(listId: Int!, contactId: Int!): ContactList! @requireAuth(roles: ["admin", "sender"])
    "Queues an uploaded file for import with this mapping; the import runs in the background."
    startContactImport(input: StartContactImportInput!): ContactImport! @requireAuth(roles: ["admin", "sender"])
    "Drops an uploaded file that has not been imported."
    discardContactImport(id: Int!): ContactImport! @requireAuth(roles: ["admin", "sender"])
  }
`
