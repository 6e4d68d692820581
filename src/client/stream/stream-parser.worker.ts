/// <reference lib="webworker" />
/** Parses job streams off the page's thread; see stream-parser.ts. */
import { serveStreamParser, type ParserScope } from './stream-parser.ts'

serveStreamParser(self as unknown as ParserScope)
