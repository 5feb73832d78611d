/**
 * The staff actions the audit log records (AuditEvent.action), with what
 * each means in words. A plain text column rather than a database enum, so
 * that a new action needs no migration; services only use these names.
 */
export const AUDIT_ACTIONS = {
  sign_in: 'Signed in',
  sign_in_failed: 'Failed sign-in',
  first_admin_created: 'First admin created with the setup token',
  message_sent: 'Sent a message',
  media_sent: 'Sent a file on WhatsApp',
  mms_sent: 'Sent a picture by MMS',
  reply_sent: 'Replied from a conversation',
  message_retried: 'Retried a failed submission',
  message_resent: 'Resent to failed recipients',
  message_checked: 'Checked a message with Sinch',
  message_cancelled: 'Cancelled a scheduled message',
  sms_template_saved: 'Saved an SMS template',
  sms_template_removed: 'Removed an SMS template',
  opt_out_added: 'Added an opt-out',
  opt_out_removed: 'Removed an opt-out',
  template_added: 'Added a WhatsApp template',
  template_removed: 'Removed a WhatsApp template',
  callback_reprocessed: 'Re-processed callbacks',
  test_callback_sent: 'Sent a test callback',
  user_invited: 'Invited a user',
  invitation_accepted: 'Accepted an invitation',
  user_role_changed: 'Changed a role',
  user_disabled: 'Disabled a user',
  user_enabled: 'Enabled a user',
  password_reset_link_created: 'Created a password-reset link',
  password_reset: 'Reset a password with a link',
  audit_exported: 'Exported the audit log',
  contact_created: 'Added a contact',
  contact_updated: 'Edited a contact',
  contact_deleted: 'Removed a contact',
  contact_list_created: 'Created a contact list',
  contact_list_renamed: 'Renamed a contact list',
  contact_list_deleted: 'Deleted a contact list',
  contact_list_member_added: 'Added a contact to a list',
  contact_list_member_removed: 'Removed a contact from a list',
  contact_list_exported: 'Exported a contact list',
  contacts_imported: 'Imported contacts from a CSV file',
  contact_import_discarded: 'Discarded an uploaded contact file',
} as const

export type AuditAction = keyof typeof AUDIT_ACTIONS

export function isAuditAction(value: unknown): value is AuditAction {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(AUDIT_ACTIONS, value)
}
