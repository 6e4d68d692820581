/** Names of the event domains as engineers read them. */
import type { Domain } from '../../shared/domains.ts'

export const DOMAIN_LABELS: Readonly<Record<Domain, string>> = {
  history: 'History',
  materials: 'Materials',
  rejects: 'Rejects',
  holds: 'Holds',
  jobs: 'Maintenance jobs',
  upstream_history: 'Upstream history',
  downstream_rejects: 'Downstream rejects',
}

export const DOMAIN_HINTS: Readonly<Record<Domain, string>> = {
  history: 'Station visits: track-in/out, equipment, quantities',
  materials: 'Materials consumed per station',
  rejects: 'Rejects with loss reasons and quantities',
  holds: 'Holds and releases, with hold hours',
  jobs: 'Equipment maintenance jobs that touched the lots',
  upstream_history: 'Latest visit per station and machine (MSD)',
  downstream_rejects: 'Rejects after the detection station (MSD forward)',
}
