import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OPCOES_NODE } from "../../scripts/opcoes-node.mjs";

describe("the app's V8 options", () => {
  it("npm start runs the server with the options the tests and the benchmarks use", () => {
    const pacote = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pacote.scripts.start).toBe(`node ${OPCOES_NODE.join(" ")} scripts/start.mjs`);
  });
});
