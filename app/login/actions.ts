"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { COOKIE_SESSAO, destinoSeguro, tokenConfere } from "@/lib/seguranca/autenticacao";
import { abrirSessao, encerrarSessao, SESSAO_DURACAO_S } from "@/lib/seguranca/sessoes";
import { esperaDe, mensagemMuitasTentativas, registrarFalha } from "@/lib/seguranca/tentativas";

export type EstadoLogin = { erro: string | null };

export async function entrarAcao(_anterior: EstadoLogin, formulario: FormData): Promise<EstadoLogin> {
  const cabecalhos = await headers();
  const endereco = cabecalhos.get("x-forwarded-for")?.split(",")[0]?.trim() || "desconhecido";
  const espera = esperaDe(endereco);
  if (espera) return { erro: mensagemMuitasTentativas(espera) };
  const token = formulario.get("token");
  if (typeof token !== "string" || !tokenConfere(token)) {
    const bloqueio = registrarFalha(endereco);
    return { erro: bloqueio ? mensagemMuitasTentativas(bloqueio) : "Token inválido. Use o valor de AUTH_TOKEN configurado no servidor." };
  }
  (await cookies()).set(COOKIE_SESSAO, await abrirSessao(), {
    httpOnly: true,
    sameSite: "lax",
    secure: cabecalhos.get("x-forwarded-proto") === "https",
    path: "/",
    maxAge: SESSAO_DURACAO_S,
  });
  redirect(destinoSeguro(formulario.get("proximo")));
}

export async function sairAcao(): Promise<void> {
  const jar = await cookies();
  await encerrarSessao(jar.get(COOKIE_SESSAO)?.value);
  jar.delete(COOKIE_SESSAO);
  redirect("/login");
}
