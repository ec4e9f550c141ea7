/**
 * The keen-signup rule's own behaviour (delete this folder, test/rules/keen-signup/, with the rule): its contract
 * (contract.ts) run through the analytics suites on the generated Rule and Action — signup and login, every fault
 * mode of its destination, parity of the two forms, and load.
 */
import { describeFaultModes } from "../support/suites/fault-modes";
import { describeLoad } from "../support/suites/load";
import { describeParity } from "../support/suites/parity";
import { describeSignupLogin } from "../support/suites/signup-login";
import { contract } from "./contract";

describeSignupLogin([contract]);
describeFaultModes([contract]);
describeParity([contract]);
describeLoad([contract]);
