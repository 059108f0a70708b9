export { repoRoot } from "./paths.js";
export { freePort, portIsFree } from "./ports.js";
export {
  answersOk,
  run,
  runOk,
  spawnNode,
  spawnProcess,
  waitFor,
  type ExitStatus,
  type RunningProcess,
  type RunOptions,
  type RunResult,
  type SpawnOptions,
  type WaitOptions,
} from "./process.js";
export {
  emulatorAnswers,
  emulatorCredentials,
  motoLauncher,
  motoPython,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from "./emulator.js";
export {
  deltaText,
  eventNames,
  parseServerSentEvents,
  postSse,
  readServerSentEvents,
  type ServerSentEvent,
  type SseEvent,
  type SseRequest,
  type SseResponse,
} from "./sse.js";
export { createTestUserPool, TEST_PASSWORD, type TestUserPool, type Tokens } from "./cognito.js";
export { createTestBudgetTable, type TestBudgetTable } from "./dynamodb.js";
