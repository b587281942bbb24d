"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import {
  COOKIE_SESSAO,
  destinoSeguro,
  SESSAO_DURACAO_S,
  tokenConfere,
  valorDaSessao,
} from "@/lib/seguranca/autenticacao";

export type EstadoLogin = { erro: string | null };

export async function entrarAcao(_anterior: EstadoLogin, formulario: FormData): Promise<EstadoLogin> {
  const token = formulario.get("token");
  const sessao = valorDaSessao();
  if (!sessao || typeof token !== "string" || !tokenConfere(token)) {
    return { erro: "Token inválido. Use o valor de AUTH_TOKEN configurado no servidor." };
  }
  const https = (await headers()).get("x-forwarded-proto") === "https";
  (await cookies()).set(COOKIE_SESSAO, sessao, {
    httpOnly: true,
    sameSite: "lax",
    secure: https,
    path: "/",
    maxAge: SESSAO_DURACAO_S,
  });
  redirect(destinoSeguro(formulario.get("proximo")));
}

export async function sairAcao(): Promise<void> {
  (await cookies()).delete(COOKIE_SESSAO);
  redirect("/login");
}
