/** Stage 3's public face: stream a domain's rows for a CID list, and pick the domains of a request. */
export { streamDomain, type StreamDomainOptions } from './events/stream-domain.ts'
export { resolveDomains } from './events/resolve-domains.ts'
export {
  runEvents,
  type EventsRun,
  type EventsSink,
  type FailedDomain,
  type RowObserver,
  type RunEventsInput,
} from './events/run-events.ts'
