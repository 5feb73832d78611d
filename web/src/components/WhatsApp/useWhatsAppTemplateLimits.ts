import type { WhatsAppTemplateLimitsQuery, WhatsAppTemplateLimitsQueryVariables } from 'types/graphql'

import { useQuery, type TypedDocumentNode } from '@redwoodjs/web'

export const WHATSAPP_TEMPLATE_LIMITS: TypedDocumentNode<
  WhatsAppTemplateLimitsQuery,
  WhatsAppTemplateLimitsQueryVariables
> = gql`
  query WhatsAppTemplateLimitsQuery {
    whatsAppTemplateLimits {
      namePattern
      maxNameLength
      languageCodePattern
      maxBodyLength
      maxParameters
      maxParameterLength
    }
  }
`

export type WhatsAppTemplateLimits = WhatsAppTemplateLimitsQuery['whatsAppTemplateLimits']

/**
 * What createWhatsAppTemplate accepts, as the api enforces it (asked once,
 * then Apollo's cache answers). Null while loading: the api still judges
 * what is sent.
 */
export function useWhatsAppTemplateLimits(): WhatsAppTemplateLimits | null {
  const { data } = useQuery(WHATSAPP_TEMPLATE_LIMITS, { fetchPolicy: 'cache-first' })
  return data?.whatsAppTemplateLimits ?? null
}
