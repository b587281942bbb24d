import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatarViolacao, verificarCamadas } from "../../scripts/verificar-camadas.mjs";

const raiz = path.resolve(import.meta.dirname, "../..");
const script = path.join(raiz, "scripts/verificar-camadas.mjs");

describe("the layer order of the code", () => {
  it("the app's own tree keeps it (apart from the listed exceptions, each still needed)", () => {
    const { violacoes, arquivos } = verificarCamadas({ raiz });
    expect(arquivos).toBeGreaterThan(100);
    expect(violacoes.map(formatarViolacao)).toEqual([]);
  });

  describe("a tree that breaks each rule once", () => {
    let fixture: string;
    const escrever = (arquivo: string, texto: string) => {
      mkdirSync(path.dirname(path.join(fixture, arquivo)), { recursive: true });
      writeFileSync(path.join(fixture, arquivo), texto);
    };
    // Modules of the server layers carry the mark (lib/provedores/servico.ts below does not, to break that rule).
    const servidor = (arquivo: string, texto: string) => escrever(arquivo, `import "server-only";\n${texto}`);

    beforeAll(() => {
      fixture = mkdtempSync(path.join(tmpdir(), "camadas-"));
      // Allowed: downward, inside one folder, types reaching a server-only module, a server action's imports.
      escrever("lib/errors.ts", "export class ErroApp extends Error {}\n");
      escrever("lib/provedores/servico.ts", 'import { ErroApp } from "../errors";\nexport const servico = () => new ErroApp();\n');
      servidor("lib/provedores/segredo.ts", 'import { servico } from "./servico";\nexport const segredo = servico;\n');
      escrever(
        "app/lista/actions.ts",
        '"use server";\nimport { segredo } from "@/lib/provedores/segredo";\nexport async function agir() { segredo(); }\n',
      );
      escrever(
        "components/seguro.tsx",
        '"use client";\nimport type { segredo } from "@/lib/provedores/segredo";\nimport { agir } from "@/app/lista/actions";\nexport type S = typeof segredo;\nexport const Seguro = () => agir;\n',
      );
      // A lower layer importing a higher one: the contract imports a service (an import in a comment is no import).
      escrever(
        "lib/schemas/contrato.ts",
        '// import { pagina } from "@/app/page";\nimport { servico } from "@/lib/provedores/servico";\nexport const contrato = servico;\n',
      );
      // The same for types only: a type is a dependency too.
      escrever("lib/schemas/tipos.ts", 'import type { Botao } from "@/components/botao";\nexport type B = typeof Botao;\n');
      // The same, dynamically and through require.
      servidor(
        "lib/adapters/carregar.ts",
        'export const carregar = () => import("../gateway/rota");\nexport const exigir = () => require("../monitor/a");\n',
      );
      // Two folders of one layer importing each other.
      servidor("lib/monitor/a.ts", 'import { b } from "../metricas/b";\nexport const a = () => b;\n');
      servidor("lib/metricas/b.ts", 'import { a } from "../monitor/a";\nexport const b = () => a;\n');
      // lib importing next/*.
      servidor("lib/gateway/rota.ts", 'import { after } from "next/server";\nexport const rota = after;\n');
      // A client component reaching a server-only module, directly and through a part.
      escrever(
        "components/botao.tsx",
        '"use client";\nimport { segredo } from "@/lib/provedores/segredo";\nexport const Botao = () => segredo;\n',
      );
      escrever("components/ajuda.ts", 'import { segredo } from "../lib/provedores/segredo";\nexport const ajuda = segredo;\n');
      escrever("components/painel.tsx", "'use client';\nimport { ajuda } from './ajuda';\nexport const Painel = () => ajuda;\n");
      // A page importing db/, a file in no layer, an import that leads nowhere.
      servidor("db/schema.ts", "export const tabela = 1;\n");
      escrever("app/page.tsx", 'import { tabela } from "@/db/schema";\nexport default function Pagina() { return tabela; }\n');
      escrever("lib/novo/coisa.ts", "export const coisa = 1;\n");
      servidor("lib/provedores/quebrado.ts", 'export { x } from "./nao-existe";\n');
    });
    afterAll(() => rmSync(fixture, { recursive: true, force: true }));

    it("reports each violation by file, import and rule", () => {
      const { violacoes } = verificarCamadas({ raiz: fixture, excecoes: [], semMarca: [] });
      expect(violacoes.map((v) => [v.arquivo, v.importacao, v.regra])).toEqual([
        ["app/page.tsx", "@/db/schema", "interfaceDb"],
        ["components/botao.tsx", "@/lib/provedores/segredo", "serverOnly"],
        ["components/painel.tsx", "./ajuda", "serverOnly"],
        ["lib/adapters/carregar.ts", "../gateway/rota", "ordem"],
        ["lib/adapters/carregar.ts", "../monitor/a", "ordem"],
        ["lib/gateway/rota.ts", "next/server", "next"],
        ["lib/metricas/b.ts", "../monitor/a", "ciclo"],
        ["lib/monitor/a.ts", "../metricas/b", "ciclo"],
        ["lib/novo/coisa.ts", "", "foraDoMapa"],
        ["lib/provedores/quebrado.ts", "./nao-existe", "naoResolvido"],
        ["lib/provedores/servico.ts", "", "semMarca"],
        ["lib/schemas/contrato.ts", "@/lib/provedores/servico", "ordem"],
        ["lib/schemas/tipos.ts", "@/components/botao", "ordem"],
      ]);
      const painel = violacoes.find((v) => v.arquivo === "components/painel.tsx");
      expect(painel?.detalhe).toBe("lib/provedores/segredo.ts");
    });

    it("an exception silences its import only while the import still breaks the order", () => {
      const excecoes = [
        { de: "lib/schemas/contrato.ts", para: "lib/provedores/servico.ts", motivo: "a mudança em curso" },
        { de: "lib/provedores/servico.ts", para: "lib/errors.ts", motivo: "desce: não precisa" },
        { de: "lib/schemas/contrato.ts", para: "lib/gateway/rota.ts", motivo: "já não existe" },
      ];
      const regras = verificarCamadas({ raiz: fixture, excecoes, semMarca: [] })
        .violacoes.filter(
          (v) => v.arquivo === "lib/schemas/contrato.ts" || (v.arquivo === "lib/provedores/servico.ts" && v.regra !== "semMarca"),
        )
        .map((v) => [v.arquivo, v.importacao, v.regra]);
      expect(regras).toEqual([
        ["lib/provedores/servico.ts", "lib/errors.ts", "excecaoObsoleta"],
        ["lib/schemas/contrato.ts", "lib/gateway/rota.ts", "excecaoObsoleta"],
      ]);
    });

    it("run by hand it prints one line per violation and exits non-zero", () => {
      const r = spawnSync(process.execPath, [script, fixture], { encoding: "utf8" });
      expect(r.status).toBe(1);
      const linhas = r.stderr.trim().split("\n");
      expect(linhas).toHaveLength(13);
      expect(linhas).toContain(
        "lib/schemas/contrato.ts → @/lib/provedores/servico: ordem: uma camada (ou pasta) importa outra que está acima dela [lib/schemas/ (contrato e folhas) → lib/provedores/ (serviços)]",
      );
    });
  });
});
