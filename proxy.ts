import { NextResponse, type NextRequest } from "next/server";
import { ErroApp } from "@/lib/errors";
import {
  autenticacaoLigada,
  bearerDe,
  COOKIE_SESSAO,
  MENSAGEM_NAO_AUTORIZADO,
  sessaoConfere,
  tokenConfere,
} from "@/lib/seguranca/autenticacao";

/** With AUTH_TOKEN set: REST callers send a Bearer token, the UI carries the session cookie. */
export function proxy(request: NextRequest) {
  if (!autenticacaoLigada()) return NextResponse.next();
  const { pathname } = request.nextUrl;
  if (pathname === "/login") return NextResponse.next();

  const sessaoOk = sessaoConfere(request.cookies.get(COOKIE_SESSAO)?.value);
  if (pathname.startsWith("/api/")) {
    if (sessaoOk || tokenConfere(bearerDe(request.headers.get("authorization")))) return NextResponse.next();
    const erro = new ErroApp("nao_autorizado", MENSAGEM_NAO_AUTORIZADO);
    return NextResponse.json(erro.toJSON(), { status: erro.status, headers: { "WWW-Authenticate": "Bearer" } });
  }
  if (sessaoOk) return NextResponse.next();
  const login = new URL("/login", request.url);
  login.searchParams.set("proximo", pathname + request.nextUrl.search);
  return NextResponse.redirect(login);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
