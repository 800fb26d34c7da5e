export const id = 417;
export const ids = [417];
export const modules = {

/***/ 7417:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   runSubmit: () => (/* binding */ runSubmit)
/* harmony export */ });
async function runSubmit(_settings, _runner) {
    throw new Error('command: submit is not available in this build yet');
}


/***/ })

};
