/**
 * The commands' AWS SDK calls for live/<env> go to the region of its env.hcl, where Terragrunt deployed it, whatever
 * AWS_REGION says (a shell's default region, or the region of another environment that `npm start` published in
 * its session). With live/prod in another region than dev, `npm start -- --env prod` applied every unit and then
 * looked for the cluster in us-east-1.
 *
 * Not covered here: the whole local flow (npm start, containers) in a second region; the system test runs it in
 * dev's.
 */
import { expect } from "chai";
import { environments, envRegion } from "../../scripts/src/lib/environments.js";
import { sdkConfig, type Target } from "../../scripts/src/lib/target.js";

const elsewhere = "ap-southeast-2";

describe("the commands use each environment's own region", () => {
  for (const env of environments()) {
    it(`live/${env}: the region of its env.hcl, not AWS_REGION, against the emulator and AWS`, () => {
      const region = envRegion(env);
      expect(region).to.match(/^[a-z]{2}(-[a-z]+)+-\d$/);
      expect(region).to.not.equal(elsewhere);
      const emulator: Target = {
        kind: "emulator",
        env: { AWS_ENDPOINT_URL: "http://127.0.0.1:1", AWS_REGION: elsewhere, AWS_DEFAULT_REGION: elsewhere },
        description: "an emulator",
      };
      const aws: Target = { kind: "aws", env: { AWS_REGION: elsewhere }, description: "AWS" };
      expect(sdkConfig(emulator, env)).to.include({ region, endpoint: "http://127.0.0.1:1" });
      expect(sdkConfig(aws, env)).to.deep.equal({ region });
    });
  }
});
