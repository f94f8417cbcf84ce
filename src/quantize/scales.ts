/**
 * Calibration inputs a user gives (prove-model --calibration, --input-file for a batch): parsed and checked
 * against the model's input shape and range. The table of what each scale costs and buys is
 * src/pipeline/quantize-table.ts.
 */
import { ZkmlError } from "../core/errors";
import { flattenInput, type ModelFile } from "../model/format";

/** Read sample inputs for calibration: a JSON array of inputs (each flat or nested), or {"inputs": [...]}. */
export function parseCalibration(raw: unknown, model: ModelFile, file: string): Float64Array[] {
  const arr = Array.isArray(raw) ? raw : (raw as { inputs?: unknown })?.inputs;
  if (!Array.isArray(arr) || arr.length === 0)
    throw new ZkmlError("INPUT_INVALID", 'expected a non-empty JSON array of inputs, or {"inputs": [[...], ...]}', { file, hint: "one array of input values per sample" });
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  const [lo, hi] = model.input.range;
  return arr.map((s, i) => {
    const flat = Array.isArray(s) ? flattenInput(s, model.input.shape, `inputs[${i}]`, file) : [];
    if (flat.length !== n) throw new ZkmlError("INPUT_INVALID", `inputs[${i}]: expected ${n} values (shape ${model.input.shape.join("x")}), got ${flat.length}`, { file });
    flat.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v) || v < lo || v > hi)
        throw new ZkmlError("INPUT_OUT_OF_RANGE", `inputs[${i}][${j}]: expected a number in the model's range [${lo}, ${hi}], got ${JSON.stringify(v)}`, { file });
    });
    return Float64Array.from(flat as number[]);
  });
}
