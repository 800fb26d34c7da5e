export const id = 540;
export const ids = [540];
export const modules = {

/***/ 4540:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   decodeKubeconfig: () => (/* binding */ decodeKubeconfig),
/* harmony export */   kubeconfigSecrets: () => (/* binding */ kubeconfigSecrets)
/* harmony export */ });
/* harmony import */ var yaml__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8815);
/* harmony import */ var _lint_model_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(24);
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
    let doc;
    try {
        doc = (0,yaml__WEBPACK_IMPORTED_MODULE_0__.parse)(text, { logLevel: 'error' });
    }
    catch {
        return [...secrets];
    }
    const walk = (value) => {
        if (Array.isArray(value))
            value.forEach(walk);
        else if ((0,_lint_model_js__WEBPACK_IMPORTED_MODULE_1__/* .isObj */ .sA)(value)) {
            for (const [key, child] of Object.entries(value)) {
                if (SECRET_KEYS.has(key) && typeof child === 'string' && child)
                    secrets.add(child);
                else
                    walk(child);
            }
        }
    };
    walk(doc);
    return [...secrets].filter((s) => s.length >= 4);
}


/***/ })

};
