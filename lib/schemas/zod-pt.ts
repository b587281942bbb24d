import { z } from "zod";

// Messages zod writes itself (wrong types, unknown enum values) come out in Portuguese too.
z.config(z.locales.pt());

export { z };
