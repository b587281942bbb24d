import { NextResponse, type NextRequest } from "next/server";
import { cabecalhosDoErro, erroNoFormatoOpenAI } from "@/lib/errors";
import { enderecoDoCliente } from "@/lib/http/endereco";
import { problemaNoCaminho } from "@/lib/http/caminho";
import { ROTA_DA_SONDA, servidoPelaTabela, sondaDaRaiz, VARIA_NA_RAIZ } from "@/lib/http/prefixos";
import { avaliarPedido } from "@/lib/http/portaria";
import { CABECALHOS_SEGURANCA, politicaDeConteudo } from "@/lib/seguranca/cabecalhos";

/**
 * Every page Next serves passes the gate (lib/http/portaria.ts) here, and gets a fresh CSP nonce, which
 * Next reads from the request's policy header and puts on its own scripts. The route table's paths (/api, /v1)
 * pass the gate once, in the dispatcher (lib/http/despachar.ts): not here too, or a wrong token counted twice.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Ollama's probe of `/` reaches the route table through its App Router shell (the gate runs there, once).
  if (sondaDaRaiz(pathname, request.method, (nome) => request.headers.get(nome)))
    return NextResponse.rewrite(new URL(`${ROTA_DA_SONDA}${search}`, request.url));
  // The rewritten probe comes back through here: like the table's paths, its gate runs in the dispatcher.
  if (pathname === ROTA_DA_SONDA) return NextResponse.next();
  if (servidoPelaTabela(pathname)) {
    // Next cannot route a path it cannot decode (its own HTML 400/500 would answer): the door's 400 instead,
    // as the dispatcher answers it under `npm start`. The gate itself runs once, in the dispatcher.
    const invalido = problemaNoCaminho(pathname);
    if (!invalido) return NextResponse.next();
    const corpo = pathname === "/v1" || pathname.startsWith("/v1/") ? erroNoFormatoOpenAI(invalido) : invalido.toJSON();
    return NextResponse.json(corpo, { status: invalido.status, headers: { ...CABECALHOS_SEGURANCA, ...cabecalhosDoErro(invalido) } });
  }
  const decisao = await avaliarPedido(
    {
      metodo: request.method,
      caminho: pathname,
      cabecalho: (nome) => request.headers.get(nome),
      endereco: enderecoDoCliente((nome) => request.headers.get(nome)),
    },
    null,
  );
  if (decisao.tipo === "responder") {
    const { status, cabecalhos, corpo } = decisao.resposta;
    return new NextResponse(corpo || null, { status, headers: cabecalhos });
  }
  if (decisao.tipo === "login") {
    const login = new URL("/login", request.url);
    login.searchParams.set("proximo", pathname + search);
    return NextResponse.redirect(login);
  }
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const politica = politicaDeConteudo(nonce, process.env.NODE_ENV === "development");
  const cabecalhosPedido = new Headers(request.headers);
  cabecalhosPedido.set("x-nonce", nonce);
  cabecalhosPedido.set("content-security-policy", politica);
  const resposta = NextResponse.next({ request: { headers: cabecalhosPedido } });
  resposta.headers.set("content-security-policy", politica);
  // The home page and Ollama's probe share `/`: which one answers depends on these headers.
  if (pathname === "/") resposta.headers.set("vary", VARIA_NA_RAIZ);
  return resposta;
}

export const config = {
  // Build assets and the icon carry nothing to protect and are fetched by every page: left out.
  matcher: ["/((?!_next/static|_next/image|icon\\.svg|favicon\\.ico).*)"],
};
