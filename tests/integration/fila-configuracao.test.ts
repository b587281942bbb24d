import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { clienteApi } from "../support/cliente-api";
import { app, banco, restDoApp, rotasDoApp } from "../support/contexto";
import { LlamaCppFalso } from "../servidores/llama-cpp";
import { LlamaCppRoteadorFalso } from "../servidores/llama-cpp-roteador";
import { OllamaFalso } from "../servidores/ollama";
import type { Requisicao, ServidorFalso } from "../servidores/base";

// A provider's fair share as the REST contract takes and gives it: the limit, the queue's length and wait; what a
// llama-server says of its slots, learned with the model list; and a key's priority in the queue.

type Provedor = Record<string, unknown> & { id: number };
type Erro = { erro: { codigo: string; mensagem: string; detalhes?: { campos?: Record<string, string[]> } } };

/** A llama-server whose /props can be switched off, as older builds and some proxies answer (404). */
class LlamaCppSemProps extends LlamaCppFalso {
  semProps = false;
  protected override async rotear(r: Requisicao, res: ServerResponse): Promise<void> {
    if (this.semProps && r.caminho === "/props")
      return this.json(res, 404, { error: { code: 404, message: "File Not Found", type: "not_found_error" } });
    return super.rotear(r, res);
  }
}

const rest = () => restDoApp();
const nome = (prefixo: string) => `${prefixo} ${randomUUID().slice(0, 8)}`;
const servidores: ServidorFalso[] = [];

async function servidor<T extends ServidorFalso>(s: T): Promise<T> {
  servidores.push(s);
  return s.iniciar();
}

afterAll(async () => {
  await Promise.all(servidores.map((s) => s.parar()));
});

async function criar(corpo: Record<string, unknown>): Promise<Provedor> {
  const r = await rest().pedir<Provedor>("", { json: { nome: nome("Fila"), base_url: "http://127.0.0.1:9", ...corpo } });
  expect(r.status, r.texto).toBe(201);
  return r.corpo;
}

const ler = async (id: number) => (await rest().pedir<Provedor>(`/${id}`)).corpo;
const linha = async (id: number) =>
  (await banco().execute({ sql: "select * from provedores_llm where id = ?", args: [id] })).rows[0] as Record<string, unknown>;

/** GET …/modelos?atualizar=true: the server is asked again (and its /props with it). */
async function atualizarModelos(id: number) {
  const r = await rest().pedir<{ origem: string; modelos: { modelo: string }[] }>(`/${id}/modelos?atualizar=true`);
  expect(r.status, r.texto).toBe(200);
  expect(r.corpo.origem).toBe("servidor");
  return r.corpo;
}

function esperarValidacao(r: { status: number; corpo: unknown }, campo: string) {
  expect(r.status).toBe(400);
  const { erro } = r.corpo as Erro;
  expect(erro.codigo).toBe("validacao");
  expect(Object.keys(erro.detalhes?.campos ?? {})).toContain(campo);
  const mensagem = erro.detalhes?.campos?.[campo]?.[0] ?? "";
  // pt-BR, saying what is allowed.
  expect(mensagem).toMatch(/concorrência|fila/i);
  expect(mensagem).not.toMatch(/expected|invalid input/i);
}

describe("the fair-share settings in the REST contract", () => {
  it("a new provider gets the defaults: automatic limit, a queue of 64 waiting up to 60 s; nothing learned yet", async () => {
    const p = await criar({ tipo: "ollama" });
    expect(p).toMatchObject({
      max_concorrencia: null,
      fila_max: 64,
      fila_espera_segundos: 60,
      concorrencia_informada: null,
      modelos_simultaneos_informados: null,
    });
    expect(await linha(p.id)).toMatchObject({ max_concorrencia: null, fila_max: 64, fila_espera_segundos: 60 });
  });

  it.each([
    ["ollama", 1],
    ["lm_studio", 4],
    ["llama_cpp", 4],
    ["openai_compativel", null],
  ])("the limit in force of a %s left automatic is its type's default (%j; null: no limit)", async (tipo, efetiva) => {
    const p = await criar({ tipo });
    expect(p.max_concorrencia_efetiva).toBe(efetiva);
    expect((await ler(p.id)).max_concorrencia_efetiva).toBe(efetiva);
  });

  it("keeps the three values sent on create, in the row and in the answer", async () => {
    const p = await criar({ tipo: "lm_studio", max_concorrencia: 3, fila_max: 0, fila_espera_segundos: 3600 });
    expect(p).toMatchObject({ max_concorrencia: 3, fila_max: 0, fila_espera_segundos: 3600, max_concorrencia_efetiva: 3 });
    expect(await linha(p.id)).toMatchObject({ max_concorrencia: 3, fila_max: 0, fila_espera_segundos: 3600 });
  });

  it("an update changes only what it sends; null is automatic again, 0 no limit", async () => {
    const p = await criar({ tipo: "lm_studio", max_concorrencia: 2, fila_max: 10, fila_espera_segundos: 30 });
    let r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { fila_max: 5 } });
    expect(r.status, r.texto).toBe(200);
    expect(r.corpo).toMatchObject({ max_concorrencia: 2, fila_max: 5, fila_espera_segundos: 30, max_concorrencia_efetiva: 2 });
    r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { descricao: "outra coisa" } });
    expect(r.corpo).toMatchObject({ max_concorrencia: 2, fila_max: 5, fila_espera_segundos: 30 });
    r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { max_concorrencia: 0 } });
    expect(r.corpo).toMatchObject({ max_concorrencia: 0, max_concorrencia_efetiva: null });
    r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { max_concorrencia: null } });
    expect(r.corpo).toMatchObject({ max_concorrencia: null, max_concorrencia_efetiva: 4, fila_max: 5, fila_espera_segundos: 30 });
    expect(await linha(p.id)).toMatchObject({ max_concorrencia: null, fila_max: 5, fila_espera_segundos: 30 });
  });

  it.each([
    ["max_concorrencia", -1],
    ["max_concorrencia", 1025],
    ["max_concorrencia", 1.5],
    ["max_concorrencia", "4"],
    ["fila_max", -1],
    ["fila_max", 10_001],
    ["fila_max", null],
    ["fila_espera_segundos", 0],
    ["fila_espera_segundos", 3601],
    ["fila_espera_segundos", 2.5],
  ])("refuses %s = %j with 400 validacao naming the field, on create and on update, the row unchanged", async (campo, valor) => {
    const antes = Number((await banco().execute("select count(*) as n from provedores_llm")).rows[0]?.n);
    const criada = await rest().pedir("", { json: { nome: nome("Ruim"), tipo: "ollama", base_url: "http://127.0.0.1:9", [campo]: valor } });
    esperarValidacao(criada, campo);
    expect(Number((await banco().execute("select count(*) as n from provedores_llm")).rows[0]?.n)).toBe(antes);

    const p = await criar({ tipo: "ollama", max_concorrencia: 2, fila_max: 7, fila_espera_segundos: 9 });
    const linhaAntes = await linha(p.id);
    esperarValidacao(await rest().pedir(`/${p.id}`, { method: "PUT", json: { [campo]: valor } }), campo);
    expect(await linha(p.id)).toEqual(linhaAntes);
  });
});

describe("the fair-share fields in the OpenAPI document", () => {
  it("the create and update bodies take the three settings with their bounds; the provider gives the read-only ones", async () => {
    type Esquema = { properties: Record<string, { description?: string; readOnly?: boolean } & Record<string, unknown>> };
    const r = await rotasDoApp().pedir<{ components: { schemas: Record<string, Esquema> } }>("/api/openapi.json");
    expect(r.status).toBe(200);
    const { ProvedorLLMCriar, ProvedorLLMAtualizar, ProvedorLLM, ChaveAcessoCriar, ChaveAcesso } = r.corpo.components.schemas;
    for (const corpo of [ProvedorLLMCriar!, ProvedorLLMAtualizar!]) {
      expect(JSON.stringify(corpo.properties.max_concorrencia)).toContain('"maximum":1024');
      expect(corpo.properties.fila_max).toMatchObject({ type: "integer", minimum: 0, maximum: 10000 });
      expect(corpo.properties.fila_espera_segundos).toMatchObject({ type: "integer", minimum: 1, maximum: 3600 });
      expect(corpo.properties.max_concorrencia?.description).toMatch(/automático.*0: sem limite/);
      expect(corpo.properties).not.toHaveProperty("max_concorrencia_efetiva");
    }
    expect(ProvedorLLMCriar!.properties.fila_max).toMatchObject({ default: 64 });
    for (const campo of ["concorrencia_informada", "modelos_simultaneos_informados", "max_concorrencia_efetiva"]) {
      expect(ProvedorLLM!.properties[campo], campo).toMatchObject({ readOnly: true });
    }
    expect(ChaveAcessoCriar!.properties.prioridade).toMatchObject({ type: "integer", minimum: -10, maximum: 10, default: 0 });
    expect(ChaveAcesso!.properties).toHaveProperty("prioridade");
  });
});

describe("what llama-server says of its slots, learned with the model list", () => {
  it("total_slots 3 → concorrencia_informada 3 and the limit in force 3; set 2 → 2; 0 → none; the learned value stays", async () => {
    const llama = await servidor(new LlamaCppFalso({ modelos: [{ id: "fila-slots" }], slots: 3 }));
    const p = await criar({ tipo: "llama_cpp", base_url: llama.url });
    expect(p).toMatchObject({ concorrencia_informada: null, max_concorrencia_efetiva: 4 });

    await atualizarModelos(p.id);
    expect(await ler(p.id)).toMatchObject({ concorrencia_informada: 3, modelos_simultaneos_informados: null, max_concorrencia_efetiva: 3 });
    expect(await linha(p.id)).toMatchObject({ concorrencia_informada: 3, max_concorrencia: null });

    let r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { max_concorrencia: 2 } });
    expect(r.corpo).toMatchObject({ max_concorrencia: 2, concorrencia_informada: 3, max_concorrencia_efetiva: 2 });
    r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { max_concorrencia: 0 } });
    expect(r.corpo).toMatchObject({ max_concorrencia: 0, concorrencia_informada: 3, max_concorrencia_efetiva: null });

    // The server restarted with -np 5: the next list learns it.
    llama.slots = 5;
    await rest().pedir(`/${p.id}`, { method: "PUT", json: { max_concorrencia: null } });
    await atualizarModelos(p.id);
    expect(await ler(p.id)).toMatchObject({ concorrencia_informada: 5, max_concorrencia_efetiva: 5 });
  });

  it("a /props that fails never fails the model list, and what was learned stays", async () => {
    const llama = await servidor(new LlamaCppSemProps({ modelos: [{ id: "fila-sem-props" }], slots: 2 }));
    const p = await criar({ tipo: "llama_cpp", base_url: llama.url });
    await atualizarModelos(p.id);
    expect((await ler(p.id)).concorrencia_informada).toBe(2);
    // An older build (or a proxy) without /props: 404 there, the models still listed.
    llama.semProps = true;
    const lista = await atualizarModelos(p.id);
    expect(lista.modelos.map((m) => m.modelo)).toEqual(["fila-sem-props"]);
    expect(await ler(p.id)).toMatchObject({ concorrencia_informada: 2, max_concorrencia_efetiva: 2 });
  });

  it("router mode: max_instances 1 → modelos_simultaneos_informados 1; a loaded model's slots from /props?model=ID", async () => {
    const roteador = await servidor(
      new LlamaCppRoteadorFalso(
        {
          modelos: [
            { id: "fila-a", carregado: false },
            { id: "fila-b", carregado: false },
          ],
        },
        1,
      ),
    );
    roteador.slots = 2;
    const p = await criar({ tipo: "llama_cpp", base_url: roteador.url });
    await atualizarModelos(p.id);
    // Nothing loaded: the slots are not known (and asking never loads a model).
    expect(await ler(p.id)).toMatchObject({ modelos_simultaneos_informados: 1, concorrencia_informada: null, max_concorrencia_efetiva: 4 });
    expect(roteador.estadoDe("fila-a")).toBe("unloaded");
    expect(roteador.estadoDe("fila-b")).toBe("unloaded");

    const carga = await rest().pedir(`/${p.id}/modelos/carregar`, { json: { modelo: "fila-b" } });
    expect(carga.status, carga.texto).toBe(200);
    await atualizarModelos(p.id);
    expect(await ler(p.id)).toMatchObject({ modelos_simultaneos_informados: 1, concorrencia_informada: 2, max_concorrencia_efetiva: 2 });
    const perguntas = roteador.recebidas.filter((r) => r.caminho === "/props" && r.consulta.get("model") !== null);
    expect(perguntas.map((r) => [r.consulta.get("model"), r.consulta.get("autoload")])).toContainEqual(["fila-b", "false"]);

    // Unloaded again: what was learned of its slots stays.
    const descarga = await rest().pedir(`/${p.id}/modelos/descarregar`, { json: { modelo: "fila-b" } });
    expect(descarga.status, descarga.texto).toBe(200);
    await atualizarModelos(p.id);
    expect(await ler(p.id)).toMatchObject({ modelos_simultaneos_informados: 1, concorrencia_informada: 2 });
  });

  it("router mode with --models-max 0 says 0 (unlimited), kept as 0", async () => {
    const roteador = await servidor(new LlamaCppRoteadorFalso({ modelos: [{ id: "fila-c", carregado: false }] }, 0));
    const p = await criar({ tipo: "llama_cpp", base_url: roteador.url });
    await atualizarModelos(p.id);
    expect(await ler(p.id)).toMatchObject({ modelos_simultaneos_informados: 0 });
  });

  it("other types say nothing of their slots: both stay null, and the type's default is in force", async () => {
    const ollama = await servidor(new OllamaFalso({ modelos: [{ id: "fila-ollama:latest", carregado: true }] }));
    const p = await criar({ tipo: "ollama", base_url: ollama.url });
    const lista = await atualizarModelos(p.id);
    expect(lista.modelos.map((m) => m.modelo)).toEqual(["fila-ollama:latest"]);
    expect(await ler(p.id)).toMatchObject({
      concorrencia_informada: null,
      modelos_simultaneos_informados: null,
      max_concorrencia_efetiva: 1,
    });
    expect(ollama.recebidas.some((r) => r.caminho === "/props")).toBe(false);
  });

  it("a new address forgets what the old server said", async () => {
    const llama = await servidor(new LlamaCppFalso({ modelos: [{ id: "fila-mudou" }], slots: 6 }));
    const p = await criar({ tipo: "llama_cpp", base_url: llama.url });
    await atualizarModelos(p.id);
    expect((await ler(p.id)).concorrencia_informada).toBe(6);
    const r = await rest().pedir<Provedor>(`/${p.id}`, { method: "PUT", json: { base_url: "http://127.0.0.1:9" } });
    expect(r.corpo).toMatchObject({ concorrencia_informada: null, max_concorrencia_efetiva: 4 });
  });
});

describe("a key's priority in the queue (/api/chaves)", () => {
  const chaves = () => clienteApi(`${app().url}/api/chaves`);
  const criadas: number[] = [];
  // A key in use makes the shared app's model doors ask for one: revoked before the next file.
  afterAll(async () => {
    for (const id of criadas) await chaves().resposta(`/${id}`, { method: "DELETE" });
  });

  it("defaults to 0, round-trips on create and update, and is in the row", async () => {
    const r = await chaves().pedir<{ id: number; prioridade: number }>("", { json: { nome: nome("Prioridade") } });
    expect(r.status, r.texto).toBe(201);
    criadas.push(r.corpo.id);
    expect(r.corpo.prioridade).toBe(0);
    const alta = await chaves().pedir<{ id: number; prioridade: number }>("", { json: { nome: nome("Prioridade alta"), prioridade: 10 } });
    expect(alta.status, alta.texto).toBe(201);
    criadas.push(alta.corpo.id);
    expect(alta.corpo.prioridade).toBe(10);

    const mudada = await chaves().pedir<{ prioridade: number; nome: string }>(`/${r.corpo.id}`, {
      method: "PUT",
      json: { prioridade: -10 },
    });
    expect(mudada.status, mudada.texto).toBe(200);
    expect(mudada.corpo.prioridade).toBe(-10);
    expect((await chaves().pedir<{ prioridade: number }>(`/${r.corpo.id}`)).corpo.prioridade).toBe(-10);
    // An update without it keeps it.
    await chaves().pedir(`/${r.corpo.id}`, { method: "PUT", json: { descricao: "outra" } });
    expect((await chaves().pedir<{ prioridade: number }>(`/${r.corpo.id}`)).corpo.prioridade).toBe(-10);
    const row = await banco().execute({ sql: "select prioridade from chaves_acesso where id = ?", args: [r.corpo.id] });
    expect(Number(row.rows[0]?.prioridade)).toBe(-10);
  });

  it.each([11, -11, 1.5, "2", null])("refuses prioridade %j with 400 validacao naming it, the key unchanged", async (valor) => {
    const antes = Number((await banco().execute("select count(*) as n from chaves_acesso")).rows[0]?.n);
    const r = await chaves().pedir<Erro>("", { json: { nome: nome("Prioridade ruim"), prioridade: valor } });
    expect(r.status).toBe(400);
    expect(r.corpo.erro.codigo).toBe("validacao");
    expect(r.corpo.erro.detalhes?.campos?.prioridade?.[0]).toMatch(/prioridade/i);
    expect(Number((await banco().execute("select count(*) as n from chaves_acesso")).rows[0]?.n)).toBe(antes);

    const c = await chaves().pedir<{ id: number }>("", { json: { nome: nome("Prioridade fica"), prioridade: 3 } });
    criadas.push(c.corpo.id);
    const u = await chaves().pedir<Erro>(`/${c.corpo.id}`, { method: "PUT", json: { prioridade: valor } });
    expect(u.status).toBe(400);
    expect(Object.keys(u.corpo.erro.detalhes?.campos ?? {})).toContain("prioridade");
    expect((await chaves().pedir<{ prioridade: number }>(`/${c.corpo.id}`)).corpo.prioridade).toBe(3);
  });
});
