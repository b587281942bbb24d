import { createClient, type Client } from "@libsql/client";
import { randomBytes } from "node:crypto";
import type { EventoMonitor } from "@/lib/saude/eventos";
import { type ClienteApi, clientesDoApp } from "./cliente-api";
import { iniciarApp, type ServidorApp } from "./servidor-app";
import { iniciarSqld } from "./sqld";

/** One app process of the pair, with its clients (the admin's AUTH_TOKEN) and its pid (in its instance id). */
export type Instancia = ServidorApp & { rest: ClienteApi; raiz: ClienteApi };

export type DuasInstancias = {
  a: Instancia;
  b: Instancia;
  /** The AUTH_TOKEN both share. */
  token: string;
  sqldUrl: string;
  /** A direct connection to the shared database, to read rows behind the API (the lease). */
  banco: Client;
  /** Stops both apps (a killed one is already gone) and the database. */
  parar: () => Promise<void>;
};

/**
 * Two app processes on one real sqld, as several instances behind a load balancer run: the same DATABASE_URL,
 * AUTH_TOKEN and APP_SECRET (a provider's key ciphered by one is read by the other), each its own data folder.
 * A starts first, so it migrates the database and takes the monitor's lease; B starts once A answers.
 */
export async function iniciarDuasInstancias(env: Record<string, string> = {}): Promise<DuasInstancias> {
  const sqld = await iniciarSqld();
  const token = randomBytes(16).toString("hex");
  const comum = {
    DATABASE_URL: sqld.url,
    // A slow call on a busy machine is not an outage; well above the lease's 6 s is not needed either.
    DATABASE_TIMEOUT_SEGUNDOS: "10",
    APP_SECRET: randomBytes(16).toString("hex"),
    AUTH_TOKEN: token,
    ...env,
  };
  const iniciadas: ServidorApp[] = [];
  const banco = createClient({ url: sqld.url });
  const parar = async () => {
    banco.close();
    await Promise.all(iniciadas.map((s) => s.parar()));
    await sqld.parar();
  };
  try {
    const instancia = async (): Promise<Instancia> => {
      const s = await iniciarApp(comum);
      iniciadas.push(s);
      return { ...s, ...clientesDoApp(s.url, { token }) };
    };
    const a = await instancia();
    const b = await instancia();
    return { a, b, token, sqldUrl: sqld.url, banco, parar };
  } catch (e) {
    await parar();
    throw e;
  }
}

/** Who holds the monitor's lease now (an instance id: `host:pid:…`), or null when nobody does. */
export async function titularDoMonitor(banco: Client): Promise<string | null> {
  const r = await banco.execute(
    "select titular from concessoes where nome = 'monitor' and expira_em > cast(unixepoch('subsecond') * 1000 as integer)",
  );
  return (r.rows[0]?.titular as string | undefined) ?? null;
}

/** Whether an instance id is this app process's (lib/instancia.ts puts the pid second). */
export const ehDe = (titular: string | null, app: ServidorApp) => titular?.split(":")[1] === String(app.processo.pid);

/** Every `status` and `modelos` event one instance's live pages receive, from now until `signal` aborts. */
export async function eventosDe(app: Instancia, signal: AbortSignal): Promise<{ em: number; e: EventoMonitor }[]> {
  const eventos: { em: number; e: EventoMonitor }[] = [];
  const r = await app.rest.resposta("/eventos", { signal });
  if (!r.ok || !r.body) throw new Error(`SSE de ${app.url}: ${r.status}`);
  void (async () => {
    const leitor = r.body!.pipeThrough(new TextDecoderStream()).getReader();
    let resto = "";
    for (;;) {
      const { value, done } = await leitor.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      resto += value;
      for (let i = resto.indexOf("\n\n"); i >= 0; i = resto.indexOf("\n\n")) {
        const bloco = resto.slice(0, i);
        resto = resto.slice(i + 2);
        const dados = /^data: (.+)$/m.exec(bloco)?.[1];
        const nome = /^event: (.+)$/m.exec(bloco)?.[1];
        if (dados && (nome === "status" || nome === "modelos")) eventos.push({ em: Date.now(), e: JSON.parse(dados) as EventoMonitor });
      }
    }
  })();
  return eventos;
}
