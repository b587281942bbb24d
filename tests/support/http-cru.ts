import http from "node:http";

export type RespostaCrua = { status: number; cabecalhos: http.IncomingHttpHeaders; corpo: string; ms: number };

export type PedidoCru = {
  metodo?: string;
  cabecalhos?: Record<string, string>;
  corpo?: string;
  /** The local address to connect from (any of 127.0.0.0/8), to look like another client. */
  deEndereco?: string;
  /** Give up (and fail) after this long without an answer. */
  limiteMs?: number;
};

/**
 * One request written as given, over a raw HTTP/1.1 connection: a Host, Origin or Cookie header that fetch
 * would rewrite or refuse goes out as is, and a path is sent byte for byte (`%E0`, `%`).
 */
export function cru(url: string, caminho: string, pedido: PedidoCru = {}): Promise<RespostaCrua> {
  const alvo = new URL(url);
  const inicio = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: alvo.hostname,
      port: alvo.port,
      path: caminho,
      method: pedido.metodo ?? "GET",
      headers: {
        ...(pedido.corpo !== undefined ? { "content-length": String(Buffer.byteLength(pedido.corpo)) } : {}),
        ...pedido.cabecalhos,
      },
      localAddress: pedido.deEndereco,
      agent: false,
      timeout: pedido.limiteMs ?? 5000,
    });
    req.on("timeout", () => req.destroy(new Error(`sem resposta em ${pedido.limiteMs ?? 5000} ms: ${pedido.metodo ?? "GET"} ${caminho}`)));
    req.on("error", reject);
    req.on("response", (res) => {
      const partes: Buffer[] = [];
      res.on("data", (p: Buffer) => partes.push(p));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          cabecalhos: res.headers,
          corpo: Buffer.concat(partes).toString("utf8"),
          ms: performance.now() - inicio,
        }),
      );
      res.on("error", reject);
    });
    req.end(pedido.corpo);
  });
}

/** The contract's error code in a JSON error body. */
export function codigoDe(r: RespostaCrua): string | undefined {
  try {
    return (JSON.parse(r.corpo) as { erro?: { codigo?: string } }).erro?.codigo;
  } catch {
    return undefined;
  }
}
