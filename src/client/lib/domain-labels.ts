/** Names of the event domains as engineers read them, in the page's language. */
import { DOMAINS } from '../../shared/domains.ts'
import { translatedRecord } from '../i18n/index.ts'

export const DOMAIN_LABELS = translatedRecord(DOMAINS, 'domains')

export const DOMAIN_HINTS = translatedRecord(DOMAINS, 'domainHints')
