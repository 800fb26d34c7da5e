export const id = 919;
export const ids = [919];
export const modules = {

/***/ 7919:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   decodeKubeconfig: () => (/* binding */ decodeKubeconfig),
/* harmony export */   execSecrets: () => (/* binding */ execSecrets),
/* harmony export */   kubeconfigSecrets: () => (/* binding */ kubeconfigSecrets),
/* harmony export */   urlPassword: () => (/* binding */ urlPassword)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7207);
/* harmony import */ var _lint_model_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5743);
// Every credential in a kubeconfig, so each can be masked before anything is printed. Pure.


const SECRET_KEYS = new Set(['token', 'password', 'client-key-data', 'client-certificate-data', 'id-token', 'refresh-token', 'client-secret', 'access-token']);
/** Decodes the kubeconfig input: YAML as is, or base64 of it. */
function decodeKubeconfig(input) {
    const text = input.trim();
    if (/^[A-Za-z0-9+/=\s]+$/.test(text) && !text.includes(':')) {
        const decoded = Buffer.from(text, 'base64').toString('utf8');
        if (/apiVersion|clusters|contexts/.test(decoded))
            return decoded;
    }
    return input;
}
/** The values to mask: the raw input (and its base64 form), and every token, key, password and secret inside. */
function kubeconfigSecrets(input) {
    const secrets = new Set([input.trim()]);
    const text = decodeKubeconfig(input);
    // Whatever the parser makes of it, every line that looks like a secret key's is masked: a broken
    // kubeconfig is no reason to print its token.
    for (const value of secretLineValues(text))
        secrets.add(value);
    let doc;
    try {
        doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__.parse)(text, { logLevel: 'error' });
    }
    catch {
        return [...secrets].filter((s) => s.length >= 4);
    }
    const walk = (value) => {
        if (Array.isArray(value))
            value.forEach(walk);
        else if ((0,_lint_model_js__WEBPACK_IMPORTED_MODULE_1__/* .isObj */ .sA)(value)) {
            for (const [key, child] of Object.entries(value)) {
                if (SECRET_KEYS.has(key) && (typeof child === 'string' || typeof child === 'number') && child !== '')
                    secrets.add(String(child));
                else if (key === 'exec')
                    execSecrets(child).forEach((s) => secrets.add(s));
                else if (key === 'proxy-url' && typeof child === 'string')
                    urlPassword(child).forEach((s) => secrets.add(s));
                else
                    walk(child);
            }
        }
    };
    walk(doc);
    return [...secrets].filter((s) => s.length >= 4);
}
/** `key: value` on one line, for a secret key, in block, flow or JSON layout: quoted up to its quote, plain up to `,`, `}`, `]` or a comment. */
const SECRET_LINE = new RegExp(`(?:${[...SECRET_KEYS].join('|')})["']?\\s*:\\s*(?:"([^"]*)"|'([^']*)'|([^\\s,}\\]#][^,}\\]#]*))`, 'g');
/** The values of secret keys, read line by line from text that may not parse at all. */
function secretLineValues(text) {
    const found = [];
    for (const line of text.split(/\r\n|\r|\n/)) {
        for (const match of line.matchAll(SECRET_LINE)) {
            const value = (match[1] ?? match[2] ?? match[3] ?? '').trim();
            if (value)
                found.push(value);
        }
    }
    return found;
}
/** An argument of an exec credential plugin that names a secret: the next one (or what follows its `=`) is one. */
const SECRET_ARG = /^--?[\w-]*(token|secret|password|key)[\w-]*$/i;
/**
 * What an exec credential plugin (aws, gke-gcloud-auth-plugin, kubelogin, ...) is given that may be
 * secret: every environment value (AWS_SECRET_ACCESS_KEY, a client secret), and the values of
 * arguments named like a token, secret, password or key.
 */
function execSecrets(exec) {
    if (!(0,_lint_model_js__WEBPACK_IMPORTED_MODULE_1__/* .isObj */ .sA)(exec))
        return [];
    const found = [];
    for (const variable of Array.isArray(exec.env) ? exec.env : []) {
        if ((0,_lint_model_js__WEBPACK_IMPORTED_MODULE_1__/* .isObj */ .sA)(variable) && typeof variable.value === 'string' && variable.value)
            found.push(variable.value);
    }
    const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
    args.forEach((arg, i) => {
        const [name, value] = arg.split(/=(.*)/s);
        if (!SECRET_ARG.test(name))
            return;
        if (value !== undefined)
            found.push(value);
        else if (i + 1 < args.length)
            found.push(args[i + 1]);
    });
    return found.filter((s) => s.length >= 4);
}
/** The password in a URL's user info (a proxy-url such as http://user:secret@proxy:3128). */
function urlPassword(url) {
    try {
        const password = decodeURIComponent(new URL(url).password);
        return password ? [password] : [];
    }
    catch {
        return [];
    }
}


/***/ })

};
