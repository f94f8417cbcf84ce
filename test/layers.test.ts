/**
 * The source tree reads top to bottom. Every folder of src/ sits in one layer, lowest first:
 *
 *   core < ir < model < quantize < statement < backends < snark < setup < systems < pipeline < evm < {bench, queue, report} < plugin
 *
 * (plugin/ holds the Hardhat plugins, the only Hardhat code, above all of them; src/index.ts, the Hardhat-free
 * entry, may import any folder but plugin/.) The rules:
 *   1. a file of src/ imports only from its own folder or a lower layer's (folders of one layer may import each
 *      other);
 *   2. the files of src/ import one another without a cycle.
 * "Imports" are every relative module reference the TypeScript parser sees: `import ... from`, `import type`,
 * `export ... from`, `import("...")` (in code or in a type) and `require("...")`. A folder is the first one under
 * src/ (src/backends/r1cs/lower.ts is in backends). A new folder must be given a layer here.
 *
 * ALLOWED lists the upward imports that remain, each with why; an entry that no longer occurs fails too, so the
 * list only shrinks.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const LAYERS: string[][] = [["core"], ["ir"], ["model"], ["quantize"], ["statement"], ["backends"], ["snark"], ["setup"], ["systems"], ["pipeline"], ["evm"], ["bench", "queue", "report"], ["plugin"]];

/** Upward imports still needed: "from -> to" (paths under src/) and why. */
const ALLOWED: Record<string, string> = {
  "quantize/quantize.ts -> statement/cost.ts": "saturate: auto keeps whichever quantization has fewer constraints, and the constraint count is the statement's cost model",
};

const SRC = path.join(__dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** Every relative module a file refers to, with the line it is on. */
function relativeImports(file: string, text = fs.readFileSync(file, "utf8")): { spec: string; line: number }[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const out: { spec: string; line: number }[] = [];
  const add = (lit: ts.Node | undefined) => {
    if (lit && ts.isStringLiteralLike(lit) && lit.text.startsWith(".")) out.push({ spec: lit.text, line: sf.getLineAndCharacterOfPosition(lit.getStart(sf)).line + 1 });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) add(n.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference)) add(n.moduleReference.expression);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) add(n.argument.literal);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === "require"))) add(n.arguments[0]);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/** The file a relative specifier names (x.ts, x/index.ts), or the bare path when it names none. */
function resolve(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile()) ?? base;
}

const rel = (f: string) => path.relative(SRC, f).split(path.sep).join("/");
/** The folder of a src/ path ("" for src/index.ts); null outside src/. */
const folderOf = (f: string): string | null => (rel(f).startsWith("..") ? null : rel(f).includes("/") ? rel(f).split("/")[0] : "");
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

describe("layers: the source tree reads top to bottom", () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, relativeImports(f).map((i) => ({ ...i, to: resolve(f, i.spec) }))]));

  it("every folder of src/ has a layer", () => {
    const unknown = [...new Set(files.map((f) => folderOf(f)!).filter((d) => d !== "" && layerOf(d) < 0))];
    expect(unknown, `give these folders a layer in test/layers.test.ts LAYERS: ${unknown.join(", ")}`).to.deep.equal([]);
  });

  it("no file imports a folder of a higher layer, but the allowed ones", () => {
    const bad: string[] = [];
    const used = new Set<string>();
    for (const [f, imports] of graph) {
      const from = folderOf(f)!;
      if (from === "") {
        // src/index.ts: the Hardhat-free entry, above every folder but the plugins
        for (const i of imports) if (folderOf(i.to) === "plugin") bad.push(`src/${rel(f)}:${i.line} imports "${i.spec}" (the Hardhat-free entry imports no plugin)`);
        continue;
      }
      for (const i of imports) {
        const to = folderOf(i.to);
        const edge = `${rel(f)} -> ${rel(i.to)}`;
        const upward = to === null || to === "" || (to !== from && layerOf(to) > layerOf(from));
        if (!upward) continue;
        if (ALLOWED[edge]) used.add(edge);
        else bad.push(`src/${rel(f)}:${i.line} imports "${i.spec}" (${to === null ? "outside src/" : to === "" ? "the package entry" : `${to}, above ${from}`})`);
      }
    }
    expect(bad, `upward imports:\n  ${bad.join("\n  ")}\n`).to.deep.equal([]);
    const stale = Object.keys(ALLOWED).filter((e) => !used.has(e));
    expect(stale, `allowed upward imports that no longer occur (remove them from ALLOWED): ${stale.join("; ")}`).to.deep.equal([]);
  });

  it("no import cycle between the files of src/", () => {
    // depth-first search; a back edge closes a cycle, reported as the chain of files
    const state = new Map<string, "open" | "done">();
    const cycles: string[] = [];
    const stack: string[] = [];
    const dfs = (f: string) => {
      state.set(f, "open");
      stack.push(f);
      for (const { to } of graph.get(f) ?? []) {
        if (!graph.has(to)) continue;
        if (state.get(to) === "open") cycles.push([...stack.slice(stack.indexOf(to)), to].map((x) => `src/${rel(x)}`).join(" -> "));
        else if (!state.has(to)) dfs(to);
      }
      stack.pop();
      state.set(f, "done");
    };
    for (const f of files) if (!state.has(f)) dfs(f);
    expect(cycles, `import cycles:\n  ${cycles.join("\n  ")}\n`).to.deep.equal([]);
  });

  it("the import reader sees every kind of import", () => {
    const probe = [
      'import { a } from "./a";',
      'import type { B } from "./b";',
      'export { c } from "./c";',
      "// import { no } from './comment';",
      'const url = "https://example.com/x"; // not an import',
      'async function f(): Promise<import("./d").D> { const { e } = await import("./e"); return require("./g"); }',
      'import * as fs from "fs";',
    ].join("\n");
    expect(relativeImports("probe.ts", probe).map((i) => i.spec)).to.deep.equal(["./a", "./b", "./c", "./d", "./e", "./g"]);
  });
});
