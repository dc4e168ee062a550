export { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_USERS, type DemoUsername } from './accounts'
export { apiLogin, apiLogout, CSRF_HEADER, CSRF_HEADERS, trpcCall, trpcData, trpcError, type TrpcError } from './api'
export { inputByTestId, login, loginExpectingError, waitForHydration, type LoginOptions } from './login'
