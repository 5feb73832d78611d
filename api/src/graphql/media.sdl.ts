export const schema = gql`
  "A file in a conversation and the state of our copy of it (README: Media)."
  type ThreadMedia {
    "Random key: the file is served to staff at /api/media?key=<key>."
    key: String!
    "image, video, audio or document: how to show it."
    kind: String!
    "PENDING, FETCHING (being copied from Sinch), STORED, FAILED or PRUNED (deleted by retention)."
    state: String!
    "The type found in the file's bytes (once stored)."
    mimeType: String
    "What Sinch or the sender said the type is."
    declaredMimeType: String
    fileName: String
    sizeBytes: Int
    "FAILED, PRUNED, or a retry pending: why there is no copy (yet)."
    failureReason: String
    attempts: Int!
  }

  type ThreadLocation {
    latitude: Float!
    longitude: Float!
    title: String
    label: String
    "An OpenStreetMap link to the point."
    mapUrl: String!
  }

  type ThreadChoice {
    "The option's postback data, as the customer chose it."
    chosen: String!
    "Sinch's id of the message whose option was chosen."
    answersMessageId: String
  }

  type ThreadContactCard {
    name: String!
    phoneNumbers: [String!]!
    emailAddresses: [String!]!
  }

  "What staff may upload (from the api's configuration)."
  type MediaLimits {
    uploadMaxBytes: Int!
    allowedTypes: [String!]!
    "Pictures can be sent to SMS recipients as MMS (SINCH_MMS_ENABLED: only plans Sinch enabled MMS for)."
    mmsEnabled: Boolean!
    "The picture types an MMS may carry."
    mmsTypes: [String!]!
  }

  input SendWhatsAppMediaInput {
    "The recipient: one number, inside its 24-hour window."
    phoneNumber: String!
    fileName: String!
    "The file, base64 (at most MEDIA_UPLOAD_MAX_BYTES once decoded)."
    contentBase64: String!
    "A media template to send the file as its header (then the window need not be open), with its body values."
    templateId: Int
    templateParameters: [String!]
  }

  input SendMmsInput {
    "Pasted recipients, as for an SMS."
    recipients: String!
    "Text sent with the picture (optional)."
    message: String
    fileName: String!
    "The picture, base64 (at most MEDIA_UPLOAD_MAX_BYTES once decoded): JPEG, PNG or GIF."
    contentBase64: String!
    clientReference: String
    "Sender number; defaults to SINCH_FROM."
    sender: String
  }

  type Query {
    mediaLimits: MediaLimits! @requireAuth
  }

  type Mutation {
    "Sends one file on WhatsApp inside the 24-hour window, or as a media template's header at any time; statuses arrive as for text."
    sendWhatsAppMedia(input: SendWhatsAppMediaInput!): Message! @requireAuth(roles: ["admin", "sender"])
    "Sends a picture to SMS recipients as one MMS batch (mt_media) when SINCH_MMS_ENABLED; statuses arrive as for text."
    sendMms(input: SendMmsInput!): SendMessageResult! @requireAuth(roles: ["admin", "sender"])
  }
`
