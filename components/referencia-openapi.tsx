import { documentoOpenAPI } from "@/lib/openapi/documento";

type Operacao = { summary: string; tags: string[] };
const METODOS = ["get", "post", "put", "delete"] as const;
const COR: Record<(typeof METODOS)[number], string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  put: "bg-amber-100 text-amber-900",
  delete: "bg-red-100 text-red-900",
};

/** Every route of the OpenAPI document, grouped by tag: the same document GET /api/openapi.json serves. */
export function ReferenciaOpenAPI() {
  const doc = documentoOpenAPI() as {
    paths: Record<string, Partial<Record<(typeof METODOS)[number], Operacao>>>;
    tags: { name: string }[];
  };
  const rotas = Object.entries(doc.paths).flatMap(([caminho, item]) =>
    METODOS.flatMap((metodo) => (item[metodo] ? [{ caminho, metodo, op: item[metodo] }] : [])),
  );
  return (
    <section aria-labelledby="referencia" className="space-y-3">
      <h2 id="referencia" className="text-lg font-semibold">
        Referência (OpenAPI)
      </h2>
      <p className="text-sm text-slate-700">
        O documento OpenAPI 3.1 completo, gerado dos mesmos schemas que validam cada rota, está em{" "}
        <a className="font-mono text-sky-700 hover:underline" href="/api/openapi.json">
          /api/openapi.json
        </a>{" "}
        (importe no Postman, Insomnia ou num gerador de clientes).
      </p>
      {doc.tags.map(({ name }) => {
        const daTag = rotas.filter((r) => r.op.tags.includes(name));
        if (!daTag.length) return null;
        return (
          <div key={name} className="rounded-lg border border-slate-200 bg-white">
            <h3 className="border-b border-slate-100 px-3 py-2 text-sm font-semibold">{name}</h3>
            <ul className="divide-y divide-slate-100 text-sm">
              {daTag.map((r) => (
                <li key={`${r.metodo} ${r.caminho}`} className="flex flex-wrap items-baseline gap-2 px-3 py-2">
                  <span
                    className={`w-16 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold uppercase ${COR[r.metodo]}`}
                  >
                    {r.metodo}
                  </span>
                  <code className="break-all font-mono text-xs">{r.caminho}</code>
                  <span className="text-slate-600">{r.op.summary}</span>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </section>
  );
}
