import { describe, expect, it } from "vitest";
import type { StatusProvedor } from "@/db/schema";
import type { ModeloNoProvedor } from "@/lib/gateway/catalogo";
import { FALHA_RECENTE_MS, ordenar } from "@/lib/gateway/ordem";
import type { SaudeProvedor } from "@/lib/saude/estado";

const AGORA = 1_000_000_000;

/** A candidate as the catalogue lists it: provider `id`, loaded or not, with the status the catalogue read. */
function candidato(
  id: number,
  extra: { carregado?: boolean | null; status?: ModeloNoProvedor["provedor"]["status"]; latencia?: number } = {},
) {
  return {
    provedor: {
      id,
      nome: `p${id}`,
      tipo: "ollama",
      slug: `p${id}`,
      status: extra.status ?? "online",
      falhas_seguidas: 0,
      intervalo_verificacao_segundos: 30,
      latencia: extra.latencia ?? null,
    },
    modelo: "m",
    carregado: extra.carregado ?? null,
    embedding: false,
    criadoEm: 0,
  } satisfies ModeloNoProvedor;
}

/** The health store's readings for these providers (only what a test sets). */
function leituras(por: Record<number, Partial<SaudeProvedor>>) {
  return (id: number): SaudeProvedor | undefined =>
    por[id] ? { situacao: null, emVoo: 0, latenciaMs: null, falhouEm: null, porGravar: 0, gravadoEm: 0, ...por[id] } : undefined;
}

const situacao = (status: StatusProvedor) => ({
  status,
  falhas_seguidas: 0,
  motivo: null,
  nome: "",
  intervaloMs: 5000,
  desde: 0,
  passagemEm: 0,
});

const ids = (lista: ModeloNoProvedor[]) => lista.map((c) => c.provedor.id);

describe("the router's order (pick stage)", () => {
  it("the provider with the model loaded comes first, whatever its load or latency", () => {
    const ordem = ordenar(
      [candidato(1, { carregado: false }), candidato(2, { carregado: true }), candidato(3, { carregado: null })],
      leituras({ 1: { latenciaMs: 5 }, 2: { emVoo: 4, latenciaMs: 900 }, 3: { latenciaMs: 1 } }),
      AGORA,
    );
    expect(ids(ordem)[0]).toBe(2);
  });

  it("among the loaded ones, the fewest requests in flight; among equals, the lowest recent latency; then the lowest id", () => {
    const ordem = ordenar(
      [
        candidato(1, { carregado: true }),
        candidato(2, { carregado: true }),
        candidato(3, { carregado: true }),
        candidato(4, { carregado: true }),
      ],
      leituras({
        1: { emVoo: 2, latenciaMs: 10 },
        2: { emVoo: 0, latenciaMs: 300 },
        3: { emVoo: 0, latenciaMs: 50 },
        4: { emVoo: 0, latenciaMs: 50 },
      }),
      AGORA,
    );
    expect(ids(ordem)).toEqual([3, 4, 2, 1]);
  });

  it("without a latency measured here, the monitor's last check counts; with neither, last", () => {
    const ordem = ordenar([candidato(1), candidato(2, { latencia: 80 }), candidato(3)], leituras({ 3: { latenciaMs: 20 } }), AGORA);
    expect(ids(ordem)).toEqual([3, 2, 1]);
  });

  it("offline, erro or failed here a moment ago go last (still tried, for the breaker's probe); loading or unstable before them", () => {
    const ordem = ordenar(
      [
        candidato(1, { carregado: true }),
        candidato(2, { carregado: true }),
        candidato(3, { carregado: true, status: "erro" }),
        candidato(4),
        candidato(5, { carregado: true }),
        candidato(6, { carregado: true }),
      ],
      leituras({
        1: { situacao: situacao("offline") },
        2: { falhouEm: AGORA - 1000 },
        5: { situacao: situacao("instavel") },
        // a failure long enough ago no longer counts
        6: { falhouEm: AGORA - FALHA_RECENTE_MS - 1 },
      }),
      AGORA,
    );
    expect(ids(ordem)).toEqual([6, 4, 5, 1, 2, 3]);
  });

  it("the health store's status wins over the catalogue's older copy of the row", () => {
    const ordem = ordenar(
      [candidato(1, { status: "online" }), candidato(2, { status: "offline" })],
      leituras({ 1: { situacao: situacao("offline") }, 2: { situacao: situacao("online") } }),
      AGORA,
    );
    expect(ids(ordem)).toEqual([2, 1]);
  });

  it("a single candidate (a pinned provider) is the list as given", () => {
    const sozinho = [candidato(7, { status: "offline" })];
    expect(ordenar(sozinho, leituras({}), AGORA)).toEqual(sozinho);
  });
});
