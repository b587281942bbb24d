/** How a test client presents itself to an app: its AUTH_TOKEN (as Bearer), a session cookie, other headers. */
export type OpcoesCliente = {
  token?: string;
  cookie?: string;
  cabecalhos?: Record<string, string>;
};

/** A request as `fetch` takes it, plus `json`: a body sent as JSON (POST unless a method is given). */
export type PedidoApi = Omit<RequestInit, "body"> & { json?: unknown; body?: BodyInit | null };

/** An answer read whole: status, headers, the body parsed as JSON (its text when it is not JSON) and the text itself. */
export type RespostaApi<T = unknown> = { status: number; headers: Headers; corpo: T; texto: string };

export type ClienteApi = {
  /** The answer as it arrives, for streams and for tests that read the body themselves. */
  resposta: (caminho: string, pedido?: PedidoApi) => Promise<Response>;
  /** The answer read to its end. */
  pedir: <T = unknown>(caminho: string, pedido?: PedidoApi) => Promise<RespostaApi<T>>;
};

/**
 * Requests to one app (`baseUrl` is prepended to every path: `${app.url}/api/provedores-llm` for the REST
 * contract, `app.url` for anything else), with the identity `opcoes` gives.
 */
export function clienteApi(baseUrl: string, opcoes: OpcoesCliente = {}): ClienteApi {
  const resposta = (caminho: string, pedido: PedidoApi = {}): Promise<Response> => {
    const { json, headers, ...resto } = pedido;
    const cabecalhos = new Headers(opcoes.cabecalhos);
    if (opcoes.token !== undefined) cabecalhos.set("authorization", `Bearer ${opcoes.token}`);
    if (opcoes.cookie !== undefined) cabecalhos.set("cookie", opcoes.cookie);
    // Writes with a body are JSON (anything else is refused with 415 before it reaches a handler); a form
    // (a page's server action, posted as a browser does) carries its own type.
    const formulario = resto.body instanceof FormData || resto.body instanceof URLSearchParams;
    if (json !== undefined || (resto.body !== undefined && !formulario)) cabecalhos.set("content-type", "application/json");
    for (const [nome, valor] of new Headers(headers)) cabecalhos.set(nome, valor);
    return fetch(`${baseUrl}${caminho}`, {
      ...resto,
      method: resto.method ?? (json === undefined ? undefined : "POST"),
      headers: cabecalhos,
      body: json !== undefined ? JSON.stringify(json) : resto.body,
    });
  };
  return {
    resposta,
    async pedir<T>(caminho: string, pedido?: PedidoApi): Promise<RespostaApi<T>> {
      const r = await resposta(caminho, pedido);
      const texto = await r.text();
      const json = texto !== "" && /[/+]json\b/i.test(r.headers.get("content-type") ?? "");
      return { status: r.status, headers: r.headers, corpo: (json ? JSON.parse(texto) : texto) as T, texto };
    },
  };
}

/**
 * The two clients a test of one app needs: `rest`, its REST contract (paths after `/api/provedores-llm`, ""
 * for the collection), and `raiz`, everything else from its root (`/v1`, `/api/metrics`, pages).
 */
export function clientesDoApp(url: string, opcoes: OpcoesCliente = {}): { rest: ClienteApi; raiz: ClienteApi } {
  return { rest: clienteApi(`${url}/api/provedores-llm`, opcoes), raiz: clienteApi(url, opcoes) };
}
