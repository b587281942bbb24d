import type { Client } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  bancoDisponivel,
  bancoEmUso,
  chamadaAindaEmAndamento,
  chamadaNaoEnviada,
  comPrazo,
  configurarSaude,
  ehBancoIndisponivel,
} from "@/db/saude";

// The outage state machine of a remote database, with a stand-in for the probe's client only: the calls under
// test are plain promises this test settles (or never does).

const PRAZO_MS = 40;
let sondaResponde: boolean;
let sondas: number;

function clienteDaSonda(): Client {
  return {
    execute: () => {
      sondas += 1;
      return sondaResponde ? Promise.resolve({ rows: [] }) : new Promise(() => {});
    },
    close: () => {},
  } as unknown as Client;
}

const nunca = () => new Promise<never>(() => {});
const esperar = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  (globalThis as { __provedoresSaudeBanco?: unknown }).__provedoresSaudeBanco = undefined;
  sondaResponde = true;
  sondas = 0;
  configurarSaude({ prazoMs: PRAZO_MS, urlLog: "http://banco", criarSonda: clienteDaSonda, aoVoltar: () => {} });
  bancoEmUso();
  vi.spyOn(console, "error").mockImplementation(() => {});
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

describe("a call past its deadline", () => {
  it("fails as banco_indisponivel; a probe that answers keeps the database available, nothing logged", async () => {
    const erro = await comPrazo(nunca).catch((e: unknown) => e);
    expect(ehBancoIndisponivel(erro)).toBe(true);
    expect(chamadaAindaEmAndamento(erro)).toBeInstanceOf(Promise);
    await esperar(20);
    expect(sondas).toBe(1);
    expect(bancoDisponivel()).toBe(true);
    expect(console.error).not.toHaveBeenCalled();
    await expect(comPrazo(() => Promise.resolve(7))).resolves.toBe(7);
  });

  it("with a probe that fails too: the outage is declared once and calls are refused at once, never sent", async () => {
    sondaResponde = false;
    await comPrazo(nunca).catch(() => {});
    await comPrazo(nunca).catch(() => {});
    await esperar(PRAZO_MS * 2);
    expect(bancoDisponivel()).toBe(false);
    expect(console.error).toHaveBeenCalledTimes(1);
    const chamar = vi.fn(() => Promise.resolve(1));
    const erro = await comPrazo(chamar).catch((e: unknown) => e);
    expect(chamadaNaoEnviada(erro)).toBe(true);
    expect(chamar).not.toHaveBeenCalled();
  });

  it("a late settlement of a cut call changes nothing (no outage re-opened by a late failure)", async () => {
    let falhar!: (e: unknown) => void;
    const erro = await comPrazo(() => new Promise((_, rej) => (falhar = rej))).catch((e: unknown) => e);
    expect(ehBancoIndisponivel(erro)).toBe(true);
    await esperar(20);
    falhar(Object.assign(new Error("fetch failed"), { code: "ECONNRESET" }));
    await esperar(20);
    expect(sondas).toBe(1);
    expect(bancoDisponivel()).toBe(true);
  });
});

describe("the line of calls", () => {
  it("sends 20 at a time; one whose deadline passes while it waits is never sent, and says so", async () => {
    const enviados: number[] = [];
    const todas = Array.from({ length: 21 }, (_, i) =>
      comPrazo(() => {
        enviados.push(i);
        return nunca();
      }).catch((e: unknown) => e),
    );
    // Every deadline passes before any timer runs: the 21st is still waiting when the first slot frees (on a
    // busy machine the 21st could otherwise be created a millisecond after the first and rightly be sent).
    const fim = Date.now() + PRAZO_MS + 5;
    while (Date.now() < fim) {
      // busy wait: the event loop must not run the timers yet
    }
    const erros = await Promise.all(todas);
    expect(enviados).toHaveLength(20);
    expect(chamadaNaoEnviada(erros[20])).toBe(true);
    expect(chamadaNaoEnviada(erros[0])).toBe(false);
  });
});
