export const id = 696;
export const ids = [696];
export const modules = {

/***/ 3696:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cleanupAfterCancel: () => (/* binding */ cleanupAfterCancel)
/* harmony export */ });
async function cleanupAfterCancel(_runner) { }


/***/ })

};
