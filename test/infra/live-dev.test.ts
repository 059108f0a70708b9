/** Every unit of live/dev against the AWS emulator: see test/support/live-env.ts. */
import { describeLiveEnvironment } from "../support/live-env.js";

describeLiveEnvironment("dev");
