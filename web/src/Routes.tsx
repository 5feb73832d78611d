import { PrivateSet, Route, Router } from '@redwoodjs/router'

import DeskLayout from 'src/layouts/DeskLayout/DeskLayout'

import { useAuth } from './auth'

const Routes = () => {
  return (
    <Router useAuth={useAuth}>
      <Route path="/login" page={LoginPage} name="login" />
      <Route path="/signup" page={SignupPage} name="signup" />
      <Route path="/set-password" page={SetPasswordPage} name="setPassword" />
      <PrivateSet unauthenticated="login" wrap={DeskLayout}>
        <Route path="/" page={MessagesPage} name="messages" />
        <Route path="/inbox" page={InboxPage} name="inbox" />
        {/* Roles as the api names them (api/src/lib/roles.ts); the api enforces them, this only redirects. */}
        <PrivateSet unauthenticated="messages" roles={['admin', 'sender']}>
          <Route path="/compose" page={ComposePage} name="compose" />
          <Route path="/send-to-many" page={AudienceSendPage} name="audienceSend" />
        </PrivateSet>
        <Route path="/messages/{id}" page={MessagePage} name="message" />
        <Route path="/callbacks" page={CallbacksPage} name="callbacks" />
        <Route path="/opt-outs" page={OptOutsPage} name="optOuts" />
        <Route path="/contacts" page={AddressBookPage} name="addressBook" />
        <Route path="/contacts/{phoneNumber}" page={ContactPage} name="contact" />
        <Route path="/lists/{id:Int}" page={ContactListPage} name="contactList" />
        <Route path="/imports/{id:Int}" page={ContactImportPage} name="contactImport" />
        <Route path="/whatsapp-templates" page={WhatsAppTemplatesPage} name="whatsAppTemplates" />
        <Route path="/dashboard" page={DashboardPage} name="dashboard" />
        <PrivateSet unauthenticated="messages" roles="admin">
          <Route path="/users" page={UsersPage} name="users" />
          <Route path="/audit" page={AuditPage} name="audit" />
        </PrivateSet>
      </PrivateSet>
      <Route notfound page={NotFoundPage} />
    </Router>
  )
}

export default Routes
