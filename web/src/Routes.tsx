import { PrivateSet, Route, Router } from '@redwoodjs/router'

import DeskLayout from 'src/layouts/DeskLayout/DeskLayout'

import { useAuth } from './auth'

const Routes = () => {
  return (
    <Router useAuth={useAuth}>
      <Route path="/login" page={LoginPage} name="login" />
      <Route path="/signup" page={SignupPage} name="signup" />
      <PrivateSet unauthenticated="login" wrap={DeskLayout}>
        <Route path="/" page={MessagesPage} name="messages" />
        <Route path="/compose" page={ComposePage} name="compose" />
        <Route path="/messages/{id}" page={MessagePage} name="message" />
        <Route path="/callbacks" page={CallbacksPage} name="callbacks" />
        <Route path="/opt-outs" page={OptOutsPage} name="optOuts" />
        <Route path="/contacts/{phoneNumber}" page={ContactPage} name="contact" />
        <Route path="/whatsapp-templates" page={WhatsAppTemplatesPage} name="whatsAppTemplates" />
        <Route path="/dashboard" page={DashboardPage} name="dashboard" />
      </PrivateSet>
      <Route notfound page={NotFoundPage} />
    </Router>
  )
}

export default Routes
