import { metricasPrometheus } from "../../metricas/prometheus";
import { documentoOpenAPI } from "../../openapi/documento";
import type { Manipulador } from "../../portas/troca";
import { respostaJson } from "./respostas";

const TIPO_PROMETHEUS = { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } as const;

/** Prometheus scrape target (behind AUTH_TOKEN when set: a scraper sends it as a Bearer token). */
export const metricas: Manipulador = async () => ({ status: 200, cabecalhos: TIPO_PROMETHEUS, corpo: await metricasPrometheus() });

export const openapi: Manipulador = async () => respostaJson(200, documentoOpenAPI());
