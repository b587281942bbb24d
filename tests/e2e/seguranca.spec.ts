import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures";

// A page served from another local port (any dev server the user runs, or a page that got there) tries to
// use the app through the browser: it must not be able to create a provider, by fetch or by form.

let pagina: http.Server;
let origemHostil = "";

test.beforeAll(async ({ baseURL }) => {
  const alvo = `${baseURL}/api/provedores-llm`;
  const html = `<!doctype html><html><body>
<form id="formulario" method="POST" action="${alvo}" enctype="text/plain" target="resultado">
  <input name='{"nome":"Via formulario","tipo":"ollama","x":"' value='"}'>
</form>
<iframe name="resultado"></iframe>
<p id="saida">…</p>
<script>
  async function viaFetch(modo) {
    try {
      const r = await fetch(${JSON.stringify(alvo)}, {
        method: "POST",
        mode: modo,
        headers: modo === "cors" ? { "content-type": "application/json" } : { "content-type": "text/plain" },
        body: JSON.stringify({ nome: "Via fetch " + modo, tipo: "ollama" }),
      });
      return "status " + r.status;
    } catch (e) {
      return "erro " + e.message;
    }
  }
</script></body></html>`;
  pagina = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    // A page of this origin that allows framing: the control that frames do show their content here.
    res.end(req.url === "/quadro" ? "<!doctype html><h1>Quadro desta página</h1>" : html);
  });
  await new Promise<void>((r) => pagina.listen(0, "127.0.0.1", r));
  origemHostil = `http://127.0.0.1:${(pagina.address() as AddressInfo).port}`;
});

test.afterAll(() => new Promise<void>((r) => pagina.close(() => r())));

test("a page on another local port cannot create a provider with fetch or a form", async ({ page, request }) => {
  await page.goto(origemHostil);
  // A JSON fetch needs a preflight, which the app refuses; a no-cors text/plain one is refused as not JSON.
  expect(await page.evaluate(() => (window as unknown as { viaFetch: (m: string) => Promise<string> }).viaFetch("cors"))).toMatch(/^erro /);
  expect(await page.evaluate(() => (window as unknown as { viaFetch: (m: string) => Promise<string> }).viaFetch("no-cors"))).toBe(
    "status 0",
  );
  const resposta = page.waitForResponse((r) => r.url().endsWith("/api/provedores-llm") && r.request().method() === "POST");
  await page.locator("#formulario").evaluate((f: HTMLFormElement) => f.submit());
  expect((await resposta).status()).toBe(415);

  const lista = (await (await request.get("/api/provedores-llm")).json()) as { nome: string }[];
  expect(lista.map((p) => p.nome).filter((n) => ["Via formulario", "Via fetch cors", "Via fetch no-cors"].includes(n))).toEqual([]);
});

test("the app cannot be framed by another page (frame-ancestors 'none')", async ({ page, request, baseURL }) => {
  // The page's own policy says so (X-Frame-Options: DENY, sent as well, would refuse the frame without it).
  const csp = (await request.get("/provedores-llm")).headers()["content-security-policy"] ?? "";
  expect(csp.split(";").map((d) => d.trim())).toContain("frame-ancestors 'none'");

  const avisos: string[] = [];
  page.on("console", (m) => avisos.push(m.text()));
  await page.goto(origemHostil);
  await page.evaluate((url) => {
    for (const [id, src] of [
      ["controle", "/quadro"],
      ["app", url],
    ]) {
      const f = document.createElement("iframe");
      f.id = id!;
      f.src = src!;
      document.body.append(f);
    }
  }, `${baseURL}/provedores-llm`);
  // A frame the page may show is read here: what the app's frame lacks below is its content, not the means to see it.
  await expect(page.frameLocator("#controle").locator("h1")).toHaveText("Quadro desta página");

  // The browser refuses to render the app there: the frame holds its own error document instead, and says why.
  // Only the CSP directive's refusal counts: Chrome's X-Frame-Options refusal ("Refused to display … in a
  // frame because it set 'X-Frame-Options'") would also block the frame, so it must not satisfy this test.
  const quadroDoApp = async () => (await page.locator("#app").elementHandle())?.contentFrame();
  await expect.poll(async () => (await quadroDoApp())?.url()).toMatch(/^chrome-error:/);
  await expect.poll(() => avisos.join("\n")).toMatch(/frame-ancestors 'none'/);
  await expect(page.frameLocator("#app").getByRole("heading", { name: "Provedores", exact: true })).toHaveCount(0);
});
