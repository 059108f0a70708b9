/** Which form the person sees next, and what went wrong, in words for them. */
export interface SignInProblem {
  message: string;
  /** The new-password step's challenge is gone: start again with the temporary password. */
  restart?: boolean;
  /** Not the person's doing (Cognito unreachable, misconfigured client): worth a warning in the log. */
  unexpected?: boolean;
}

export const INCORRECT = "Incorrect email or password.";
const TOO_MANY = "Too many sign-in attempts. Wait a few minutes, then try again.";
const UNAVAILABLE = "Signing in isn't possible right now. Please try again in a moment.";

/** Cognito's exceptions on the password step. Unknown users and wrong passwords read the same on purpose. */
export function passwordStepProblem(name: string): SignInProblem {
  switch (name) {
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return { message: INCORRECT };
    case "PasswordResetRequiredException":
      return { message: "Your password was reset. Ask an administrator for a new temporary password." };
    case "UserNotConfirmedException":
      return { message: "This account isn't confirmed yet. Ask an administrator to confirm it." };
    case "InvalidParameterException":
      return { message: "Enter your email address and password." };
    case "TooManyRequestsException":
    case "TooManyFailedAttemptsException":
    case "LimitExceededException":
      return { message: TOO_MANY };
    default:
      return { message: UNAVAILABLE, unexpected: true };
  }
}

const POLICY_PREFIX = /^password does not conform to policy:\s*/i;

/** Cognito's exceptions on the new-password step; its password-policy messages are shown as they are. */
export function newPasswordStepProblem(name: string, cognitoMessage: string): SignInProblem {
  switch (name) {
    case "InvalidPasswordException": {
      const detail = cognitoMessage.replace(POLICY_PREFIX, "").trim();
      // AWS names the rule that failed ("Password must have symbol characters"); a bare restatement adds nothing.
      const specific = detail !== "" && !/password policy/i.test(detail);
      return {
        message: specific
          ? `That password doesn't meet the password policy: ${detail.replace(/\.?$/, ".")}`
          : "That password doesn't meet the password policy.",
      };
    }
    case "InvalidParameterException":
      return { message: `That password can't be used: ${cognitoMessage || "it is not valid."}` };
    case "NotAuthorizedException":
    case "ResourceNotFoundException":
    case "ExpiredCodeException":
    case "CodeMismatchException":
      return { message: "That took too long. Sign in again with your temporary password.", restart: true };
    case "TooManyRequestsException":
    case "LimitExceededException":
      return { message: TOO_MANY };
    default:
      return { message: UNAVAILABLE, unexpected: true };
  }
}

export const WRONG_CODE = "That code isn't right. Enter the 6-digit code your authenticator app shows now.";
export const START_AGAIN = "That took too long. Sign in again with your email and password.";

/** Cognito's exceptions on the MFA steps (setting up an authenticator, entering its code). */
export function mfaStepProblem(name: string): SignInProblem {
  switch (name) {
    case "CodeMismatchException":
    case "EnableSoftwareTokenMFAException":
      return { message: WRONG_CODE };
    case "ExpiredCodeException":
      return { message: "That code has expired. Enter the newest code from your authenticator app." };
    case "NotAuthorizedException":
    case "ResourceNotFoundException":
      // The challenge session ran out (3 minutes) or was used up.
      return { message: START_AGAIN, restart: true };
    case "InvalidParameterException":
      return { message: WRONG_CODE };
    case "TooManyRequestsException":
    case "TooManyFailedAttemptsException":
    case "LimitExceededException":
      return { message: TOO_MANY };
    default:
      return { message: UNAVAILABLE, unexpected: true };
  }
}
