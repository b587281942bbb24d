import { rota } from "@/lib/http/rota";
import { metricasPrometheus } from "@/lib/metricas/prometheus";

/** Prometheus scrape target (behind AUTH_TOKEN when set: a scraper sends it as a Bearer token). */
export const GET = rota(
  async () =>
    new Response(await metricasPrometheus(), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" },
    }),
);
