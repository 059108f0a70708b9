/** Every unit of live/prod against the AWS emulator: see test/support/live-env.ts. */
import { describeLiveEnvironment } from "../support/live-env.js";

describeLiveEnvironment("prod");
