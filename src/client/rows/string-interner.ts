/**
 * Keeps each distinct string once and names it by a small integer id (0 is null), so a column of millions of
 * repeated lot names, stations and reasons costs four bytes a row.
 */
export class StringInterner {
  /** Strings by id; id 0 is null (shown as ''). */
  readonly strings: string[] = ['']
  private readonly lookup = new Map<string, number>()
  // Consecutive rows often repeat a value (a lot's name over its station visits): skip the lookup then.
  private lastString: string | null = null
  private lastId = 0

  /** The id of `s`, adding it when new. */
  intern(s: string): number {
    if (s === this.lastString) return this.lastId
    let id = this.lookup.get(s)
    if (id === undefined) {
      id = this.strings.length
      this.strings.push(s)
      this.lookup.set(s, id)
    }
    this.lastString = s
    this.lastId = id
    return id
  }

  /** Distinct strings held. */
  get size(): number {
    return this.strings.length - 1
  }
}
