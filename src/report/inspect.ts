/**
 * inspect-model's output (data: src/pipeline/inspect.ts): a terminal page, or JSON.
 */
import type { ModelInspection } from "../pipeline/inspect";

const int = (x: number) => x.toLocaleString("en-US");

const mark = (ok: boolean) => (ok ? "yes" : "NO");

/** An ONNX file's nodes: op, output shape, and which proof systems take each. */
function renderNodes(r: ModelInspection): string[] {
  if (!r.nodes) return [];
  const bad = r.nodes.filter((n) => !n.systems.groth16).length;
  const w = Math.min(24, Math.max(4, ...r.nodes.map((n) => n.name.length)));
  return [
    `ONNX nodes: ${r.nodes.length}${bad ? `, ${bad} not supported` : ", all supported"}`,
    `    #  ${"node".padEnd(w)}  ${"op".padEnd(18)} ${"output".padEnd(12)} groth16/plonk/fflonk  sumcheck`,
    ...r.nodes.map((n) => {
      const row = `  ${String(n.index).padStart(3)}  ${n.name.padEnd(w)}  ${n.op.padEnd(18)} ${(n.outShape?.join("x") ?? "?").padEnd(12)} ${mark(n.systems.groth16).padEnd(21)} ${mark(n.systems.sumcheck).padEnd(8)}`;
      return n.note ? `${row}  ${n.note}` : row.trimEnd();
    }),
    "",
  ];
}

export function renderInspectTerminal(r: ModelInspection): string {
  if (r.unsupported)
    return [
      `${r.name}  (${r.source})`,
      `input ${r.input.shape.join("x") || "?"}; ${int(r.params)} parameters (its initializers)`,
      "",
      ...renderNodes(r),
      "prove-model would refuse this model, for all of these at once:",
      ...r.unsupported.map((l) => `  - ${l}`),
    ].join("\n");
  const rows = r.layers.map((l) => `  ${String(l.index).padStart(3)}  ${l.type.padEnd(10)} ${l.outShape.join("x").padEnd(12)} ${int(l.params).padStart(11)} ${int(l.macs).padStart(13)}`);
  return [
    `${r.name}  (${r.source})`,
    `input ${r.input.shape.join("x")} in [${r.input.range.join(", ")}]; ${int(r.params)} parameters, ${int(r.macs)} multiply-accumulates`,
    "",
    ...renderNodes(r),
    "    #  layer      output            params          MACs",
    ...rows,
    "",
    "statement                                                constraints   public signals   ptau",
    ...r.statements.map((s) => `  ${s.label.padEnd(55)} ${int(s.constraints).padStart(11)} ${String(s.publicSignals).padStart(16)}   2^${s.ptauPower}`),
    "",
    "approximations:",
    ...r.approximations.map((a) => `  - ${a}`),
    ...(r.systemRefusals?.length ? ["", "refused by a proof system:", ...r.systemRefusals.map((a) => `  - ${a}`)] : []),
  ].join("\n");
}

export function renderInspectJson(r: ModelInspection): string {
  return JSON.stringify(r, null, 1);
}
