import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { type AtributosEntrada, Campo } from "@/components/ui/campo";

const campo = (erro?: string) =>
  renderToStaticMarkup(
    createElement(Campo, {
      rotulo: "Nome",
      erro,
      dica: "Como o provedor aparece nas listas.",
      // biome-ignore lint/correctness/noChildrenProp: a render-prop child; createElement's extra argument is not typed for it.
      children: (a: AtributosEntrada) => createElement("input", a),
    }),
  );

describe("Campo", () => {
  it("labels its control and, with an error, marks it invalid and points a screen reader at the message", () => {
    const html = campo("Informe o nome do provedor.");
    const idEntrada = html.match(/<input id="([^"]+)"/)?.[1];
    expect(html).toContain(`<label for="${idEntrada}"`);
    expect(html).toContain('aria-invalid="true"');
    const descrito = html.match(/aria-describedby="([^"]+)"/)?.[1];
    expect(html).toMatch(new RegExp(`<p id="${descrito}"[^>]*>Informe o nome do provedor.</p>`));
  });

  it("without an error, shows the hint and claims nothing is wrong", () => {
    const html = campo();
    expect(html).toContain("Como o provedor aparece nas listas.");
    expect(html).not.toContain("aria-invalid");
    expect(html).not.toContain("aria-describedby");
  });

  it("in its compact size (the list's filters) still names its control by the label", () => {
    const html = renderToStaticMarkup(
      createElement(Campo, {
        rotulo: "Buscar",
        tamanho: "compacto",
        // biome-ignore lint/correctness/noChildrenProp: a render-prop child; createElement's extra argument is not typed for it.
        children: (a: AtributosEntrada) => createElement("input", { ...a, name: "busca" }),
      }),
    );
    const idEntrada = html.match(/<input id="([^"]+)"/)?.[1];
    expect(idEntrada).toBeTruthy();
    expect(html).toMatch(new RegExp(`<label for="${idEntrada}"[^>]*>Buscar</label>`));
    expect(html).toContain('name="busca"');
  });
});
