import { NextResponse, type NextRequest } from "next/server";
import { caminhoDeApi, avaliarPedido } from "@/lib/seguranca/portaria";
import { politicaDeConteudo } from "@/lib/seguranca/cabecalhos";

/**
 * Every request Next serves passes the gate (lib/seguranca/portaria.ts); pages also get a fresh CSP nonce,
 * which Next reads from the request's policy header and puts on its own scripts.
 */
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const decisao = await avaliarPedido({
    metodo: request.method,
    caminho: pathname,
    cabecalho: (nome) => request.headers.get(nome),
    // `npm start` (servidor.ts) sets it from the socket; under `next dev`, Next does when absent.
    endereco: request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "desconhecido",
  });
  if (decisao.tipo === "responder") {
    const { status, cabecalhos, corpo } = decisao.resposta;
    return new NextResponse(corpo || null, { status, headers: cabecalhos });
  }
  if (decisao.tipo === "login") {
    const login = new URL("/login", request.url);
    login.searchParams.set("proximo", pathname + search);
    return NextResponse.redirect(login);
  }
  if (caminhoDeApi(pathname)) {
    const resposta = NextResponse.next();
    for (const [nome, valor] of Object.entries(decisao.cabecalhos)) resposta.headers.set(nome, valor);
    return resposta;
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
