/**
 * ONNX's protobuf schema (onnx.proto, vendored from the onnx 1.23.2 package, Apache-2.0: LICENSE.onnx) through
 * protobufjs: decode a model file's bytes into plain objects, and encode ours. protobufjs is loaded lazily.
 */
import * as path from "path";
import { ZkmlError } from "../../core/errors";
import { PACKAGE_ROOT } from "../../core/paths";

/* eslint-disable @typescript-eslint/no-require-imports */

/** The fields of onnx.proto this project reads and writes, as protobufjs's toObject gives them (longs as numbers). */
export interface OnnxTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  floatData?: number[];
  int64Data?: number[];
  doubleData?: number[];
  int32Data?: number[];
  rawData?: Uint8Array;
}
export interface OnnxAttribute {
  name: string;
  type?: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats?: number[];
  ints?: number[];
}
export interface OnnxNode {
  name?: string;
  opType: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: OnnxAttribute[];
}
export interface OnnxDim {
  dimValue?: number;
  dimParam?: string;
}
export interface OnnxValueInfo {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDim[] } } };
}
export interface OnnxGraph {
  name?: string;
  node?: OnnxNode[];
  initializer?: OnnxTensor[];
  input?: OnnxValueInfo[];
  output?: OnnxValueInfo[];
  /** intermediate tensors' types and shapes, where the exporter wrote them */
  valueInfo?: OnnxValueInfo[];
}
export interface OnnxModel {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  opsetImport?: { domain?: string; version?: number }[];
  graph?: OnnxGraph;
  metadataProps?: { key: string; value: string }[];
}

/** TensorProto.DataType values used here. */
export const DATA_TYPE = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
/** AttributeProto.AttributeType values used here. */
export const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

export const SCHEMA_FILE = path.join(PACKAGE_ROOT, "src", "model", "onnx", "onnx.proto");

let modelType: import("protobufjs").Type | undefined;
function modelProto(): import("protobufjs").Type {
  if (!modelType) {
    const protobuf = require("protobufjs") as typeof import("protobufjs");
    modelType = protobuf.loadSync(SCHEMA_FILE).lookupType("onnx.ModelProto");
  }
  return modelType;
}

/** Decode an ONNX file's bytes; a damaged or truncated file names the byte offset where reading stopped. */
export function decodeOnnx(bytes: Uint8Array, file: string): OnnxModel {
  const type = modelProto();
  try {
    return type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array as unknown as typeof Array, defaults: false }) as OnnxModel;
  } catch (e) {
    const msg = String((e as Error)?.message ?? e);
    // protobufjs: "index out of range: 120 + 10 > 125" (the read that ran past the end) or "invalid wire type 7 at offset 44"
    const at = /index out of range: (\d+)/.exec(msg)?.[1] ?? /offset (\d+)/.exec(msg)?.[1];
    throw new ZkmlError("MODEL_INVALID", `not a readable ONNX model: ${at !== undefined ? `the protobuf stops making sense at byte ${at} of ${bytes.length}` : msg}${/out of range/.test(msg) ? " (the file is truncated)" : ""}`, {
      file,
      hint: "export the model again (torch.onnx.export, tf2onnx, or npx hardhat export-model); a partial download or copy gives this",
    });
  }
}

export function encodeOnnx(model: OnnxModel): Uint8Array {
  const type = modelProto();
  const problem = type.verify(model);
  if (problem) throw new ZkmlError("MODEL_INVALID", `ONNX export: ${problem}`, { hint: "this is a bug in the exporter" });
  return type.encode(type.fromObject(model)).finish();
}
