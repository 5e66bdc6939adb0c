// Secret values (credentials, registry passwords, user build-arg values) must never reach a log
// line: every printed command and every line of docker output goes through one masker.

const MASK = '****';
/** Values this short would mask ordinary words ("1", "on") and leak nothing if printed. */
const MIN_SECRET_LENGTH = 4;

export class Masker {
  private readonly secrets = new Set<string>();

  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value === undefined) continue;
      // Output is masked line by line, so a value spanning lines (a PEM key, a JSON credential)
      // never appears whole: each of its lines is a secret of its own too.
      for (const part of [value, ...value.split(/\r?\n/).map((line) => line.trim())]) {
        if (part.length >= MIN_SECRET_LENGTH) this.secrets.add(part);
      }
    }
  }

  /** Replaces every known secret value in `text`, longest first so overlapping values mask fully. */
  mask(text: string): string {
    let masked = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      masked = masked.split(secret).join(MASK);
    }
    return masked;
  }
}
