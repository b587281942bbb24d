import { clienteApi } from "./cliente-api";

/**
 * Logs in as a browser without JavaScript does: the login page's form (React renders its server action as
 * hidden fields), posted as multipart with the token. Answers the session cookie (`nome=valor`), or null.
 */
export async function entrarSemJs(url: string, token: string): Promise<string | null> {
  const app = clienteApi(url);
  const pagina = await app.pedir("/login");
  const formulario = /<form class="space-y-4"[\s\S]*?<\/form>/.exec(pagina.texto)?.[0];
  if (!formulario) throw new Error(`formulário de login não encontrado (${pagina.status}): ${pagina.texto.slice(0, 300)}`);
  const dados = new FormData();
  for (const m of formulario.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) {
    dados.append(m[1]!, (m[2] ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  }
  dados.append("token", token);
  const r = await app.resposta("/login", { method: "POST", body: dados, redirect: "manual", headers: { origin: url } });
  return r.headers.get("set-cookie")?.split(";")[0] ?? null;
}
