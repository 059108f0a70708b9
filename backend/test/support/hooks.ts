// Loaded before the test files (see .mocharc.json): process-wide set-up and tear-down.
import { stopMoto } from "./moto.js";

after(async function () {
  this.timeout(15_000);
  await stopMoto();
});
