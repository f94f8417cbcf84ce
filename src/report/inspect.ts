/**
 * inspect-model's output (data: src/pipeline/inspect.ts): a terminal page, or JSON.
 */
import type { ModelInspection } from "../pipeline/inspect";

const int = (x: number) => x.toLocaleString("en-US");

export function renderInspectTerminal(r: ModelInspection): string {
  const rows = r.layers.map((l) => `  ${String(l.index).padStart(3)}  ${l.type.padEnd(10)} ${l.outShape.join("x").padEnd(12)} ${int(l.params).padStart(11)} ${int(l.macs).padStart(13)}`);
  return [
    `${r.name}  (${r.source})`,
    `input ${r.input.shape.join("x")} in [${r.input.range.join(", ")}]; ${int(r.params)} parameters, ${int(r.macs)} multiply-accumulates`,
    "",
    "    #  layer      output            params          MACs",
    ...rows,
    "",
    "statement                                                constraints   public signals   ptau",
    ...r.statements.map((s) => `  ${s.label.padEnd(55)} ${int(s.constraints).padStart(11)} ${String(s.publicSignals).padStart(16)}   2^${s.ptauPower}`),
    "",
    "approximations:",
    ...r.approximations.map((a) => `  - ${a}`),
  ].join("\n");
}

export function renderInspectJson(r: ModelInspection): string {
  return JSON.stringify(r, null, 1);
}
