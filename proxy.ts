import { NextResponse, type NextRequest } from "next/server";
import { servidoPelaTabela } from "@/lib/http/prefixos";
import { avaliarPedido } from "@/lib/http/portaria";
import { politicaDeConteudo } from "@/lib/seguranca/cabecalhos";

/**
 * Every page Next serves passes the gate (lib/http/portaria.ts) here, and gets a fresh CSP nonce, which
 * Next reads from the request's policy header and puts on its own scripts. The route table's paths (/api, /v1)
 * pass the gate once, in the dispatcher (lib/http/despachar.ts): not here too, or a wrong token counted twice.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (servidoPelaTabela(pathname)) return NextResponse.next();
  const decisao = await avaliarPedido(
    {
      metodo: request.method,
      caminho: pathname,
      cabecalho: (nome) => request.headers.get(nome),
      // `npm start` (servidor.ts) sets it from the socket; under `next dev`, Next does when absent.
      endereco: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "desconhecido",
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
  return resposta;
}

export const config = {
  // Build assets and the icon carry nothing to protect and are fetched by every page: left out.
  matcher: ["/((?!_next/static|_next/image|icon\\.svg|favicon\\.ico).*)"],
};
