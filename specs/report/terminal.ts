// A minimal terminal for the console specs: applies text, `\n`, `\r`, cursor up (`ESC[nA`), erase
// down (`ESC[J`) and colour codes (ignored) to a screen of rows, so a spec can see what a user
// would see after the live block was drawn and redrawn. Any other escape sequence throws, so a
// spec notices codes it did not expect.

export class Terminal {
  readonly rows: string[] = [''];
  private row = 0;
  private col = 0;
  /** Every chunk written, as received. */
  readonly writes: string[] = [];

  readonly write = (text: string): void => {
    this.writes.push(text);
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\x1b') {
        const match = /^\x1b\[(\d*(?:;\d+)*)([A-Za-z])/.exec(text.slice(i));
        if (match === null) throw new Error(`unexpected escape at ${JSON.stringify(text.slice(i, i + 8))}`);
        const [whole, params = '', command] = match;
        if (command === 'A') this.row = Math.max(0, this.row - Number(params === '' ? 1 : params));
        else if (command === 'J') {
          this.rows[this.row] = (this.rows[this.row] ?? '').slice(0, this.col);
          this.rows.length = this.row + 1;
        } else if (command !== 'm') throw new Error(`unexpected escape ${JSON.stringify(whole)}`);
        i += whole.length;
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
      } else if (ch === '\n') {
        this.row++;
        this.col = 0;
        if (this.rows.length <= this.row) this.rows.push('');
      } else {
        const line = (this.rows[this.row] ?? '').padEnd(this.col, ' ');
        this.rows[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
      i++;
    }
  };

  /** The screen's rows without colour codes, trailing empty row dropped. */
  screen(): string[] {
    const rows = this.rows.map(stripSgr);
    return rows[rows.length - 1] === '' ? rows.slice(0, -1) : rows;
  }
}

export function stripSgr(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
