// Imported for its effect by every module that validates with zod: English messages (~1 KB gzip)
// turn zod/mini's bare "Invalid input" into "expected boolean, received string". Import zod
// itself as `import * as z from "zod/mini"`: that tree-shakes to a few KB, where `{ z } from
// "zod"` (or re-exporting the namespace) pulls all of zod and its locales into the bundle.
import { config } from "zod/mini";
import { en } from "zod/locales";

config(en());
