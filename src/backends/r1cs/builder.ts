/**
 * The R1CS builder: allocates wires (in order, as circom numbers them), keeps their witness values when a witness
 * is being computed, and sends each constraint to the writer (when an r1cs is being written) or just counts it.
 *
 * Copy substitution: circom --O1 removes signal-to-signal equalities (y = x) by replacing x with y everywhere.
 * `holdBack()` starts keeping constraints in memory instead of writing them; `replace(x, y)` then marks a held
 * wire x as equal to an earlier wire y; `release()` writes the held constraints with x replaced, renumbers the
 * wires after each removed one, and drops the removed wires' values.
 */
import { fieldOf } from "../../core/field";
import { evaluate, LC, lc, ONE, ZERO } from "./lc";
import type { R1csWriter } from "./writer";

export class R1csBuilder {
  private values: bigint[] = [1n];
  private held: [LC, LC, LC][] | null = null;
  private heldFrom = 0;
  private readonly substitutes = new Map<number, number>();
  /** Wires so far, the constant one included. */
  wires = 1;
  constraints = 0;

  constructor(
    /** whether values are kept (a witness is computed); without it every value reads 0 */
    readonly withWitness: boolean,
    private readonly writer?: R1csWriter,
  ) {}

  /** A new wire holding `v` (0 when omitted). */
  wire(v?: bigint): number {
    if (this.withWitness) this.values[this.wires] = v ?? 0n;
    return this.wires++;
  }

  /** `count` new wires, the i-th holding value(i). */
  wireArray(count: number, value: (i: number) => bigint | undefined = () => undefined): number[] {
    return Array.from({ length: count }, (_, i) => this.wire(value(i)));
  }

  val(w: number): bigint {
    return this.withWitness && w !== ZERO ? this.values[w] : 0n;
  }

  set(w: number, v: bigint): void {
    if (this.withWitness) this.values[w] = v;
  }

  /** The value of a linear combination, in the field. */
  value(m: LC): bigint {
    return evaluate(m, (w) => this.val(w));
  }

  /** A * B = C. */
  constrain(a: LC, b: LC, c: LC): void {
    this.constraints++;
    if (this.held) this.held.push([a, b, c]);
    else this.writer?.add(a, b, c);
  }

  /** m = 0, as m * 1 = 0. */
  zero(m: LC): void {
    this.constrain(m, lc([ONE, 1n]), new Map());
  }

  /** w (w - 1) = 0. */
  boolean(w: number): void {
    this.constrain(lc([w, 1n]), lc([w, 1n], [ONE, -1n]), new Map());
  }

  /** Keep constraints from here on, so that wires made from here on can still be replaced. */
  holdBack(): void {
    this.held = [];
    this.heldFrom = this.wires;
  }

  /** Whether wire x was made while holding back and is not replaced yet. */
  canReplace(x: number): boolean {
    return this.held !== null && x >= this.heldFrom && !this.substitutes.has(x);
  }

  /** x = y: x disappears, y (an earlier wire, never renumbered) stands in every held constraint. */
  replace(x: number, y: number): void {
    this.substitutes.set(x, y);
  }

  /** Write the held constraints with the replacements made; wire numbers held by callers past a removed wire are stale after this. */
  release(): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    const removed = [...this.substitutes.keys()].sort((a, b) => a - b);
    const renumber = (w: number) => {
      let lo = 0, hi = removed.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (removed[mid] < w) lo = mid + 1;
        else hi = mid;
      }
      return w - lo;
    };
    const rewrite = (m: LC): LC => {
      const out: LC = new Map();
      for (const [w, c] of m) {
        const to = this.substitutes.get(w) ?? renumber(w);
        const v = fieldOf((out.get(to) ?? 0n) + c);
        if (v === 0n) out.delete(to);
        else out.set(to, v);
      }
      return out;
    };
    for (const [a, b, c] of held) this.writer?.add(rewrite(a), rewrite(b), rewrite(c));
    if (this.withWitness) for (let i = removed.length - 1; i >= 0; i--) this.values.splice(removed[i], 1);
    this.wires -= removed.length;
    this.substitutes.clear(); // a later hold (the next inference of a batch) starts afresh
  }

  /** The witness: every wire's value, wire 0 first. */
  witness(): bigint[] {
    return this.values;
  }
}
