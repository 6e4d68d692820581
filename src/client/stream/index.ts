/** Reading a job's NDJSON stream: framing, parsing in Web Workers, resuming after a drop. */
export { streamJob } from './job-stream-session.ts'
