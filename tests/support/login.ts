/**
 * Logs in as a browser without JavaScript does: the login page's form (React renders its server action as
 * hidden fields), posted as multipart with the token. Answers the session cookie (`nome=valor`), or null.
 */
export async function entrarSemJs(url: string, token: string): Promise<string | null> {
  const html = await (await fetch(`${url}/login`)).text();
  const formulario = /<form class="space-y-4"[\s\S]*?<\/form>/.exec(html)?.[0];
  if (!formulario) throw new Error("formulário de login não encontrado");
  const dados = new FormData();
  for (const m of formulario.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) {
    dados.append(m[1]!, (m[2] ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  }
  dados.append("token", token);
  const r = await fetch(`${url}/login`, { method: "POST", body: dados, redirect: "manual", headers: { origin: url } });
  return r.headers.get("set-cookie")?.split(";")[0] ?? null;
}
